// htm tagged templates bound to preact's h(): components without JSX or a compiler step.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
