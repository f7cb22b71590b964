// The root: holds the language and shows the page the hash names (route.js):
// the hierarchy browser (app.js) or the evaluation page (evaluation.js).
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { loadLang, saveLang } from './i18n.js';
import { pageOf } from './route.js';
import { App } from './app.js';
import { EvaluationPage } from './evaluation.js';

export function Root() {
  const [lang, setLang] = useState(loadLang);
  const [page, setPage] = useState(() => pageOf(window.location.hash));

  useEffect(() => {
    const onHashChange = () => setPage(pageOf(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const changeLang = () => {
    const next = lang === 'vi' ? 'en' : 'vi';
    saveLang(next);
    setLang(next);
  };

  return page === 'evaluation'
    ? html`<${EvaluationPage} lang=${lang} onLang=${changeLang} />`
    : html`<${App} lang=${lang} onLang=${changeLang} />`;
}
