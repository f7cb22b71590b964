// Entry point: mount the page into #app. Loaded as a module from index.html
// (no inline script: the server's Content-Security-Policy forbids it).
import { render } from 'preact';
import { html } from './html.js';
import { Root } from './root.js';
import './style.css';

const mount = document.getElementById('app');
mount.textContent = '';
render(html`<${Root} />`, mount);
