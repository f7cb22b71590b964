#!/bin/sh
# make run: creates the demo database if there is none, then serves the app.
set -eu
cd "$(dirname "$0")/.."
db=${HOCTAP_DB:-hoctap.db}
listen=${HOCTAP_LISTEN:-127.0.0.1:8080}
if [ ! -f "$db" ]; then
  echo "Creating the demo database $db (generated data for illustration) ..."
  build/hoctap demo --db "$db"
fi
echo
echo "  hoctap is running at http://$listen/"
echo "  Login: none is needed yet; accounts and the administrator login arrive with"
echo "  access control (see CHANGELOG.md). Press Ctrl-C to stop."
echo
exec build/hoctap serve --db "$db" --listen "$listen"
