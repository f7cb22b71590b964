/* version.h - the product version (see CHANGELOG.md). */
#ifndef HOCTAP_VERSION_H
#define HOCTAP_VERSION_H
#define HOCTAP_VERSION "0.1.0"
#endif
