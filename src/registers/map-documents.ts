/** The generated Markdown documents of every shipped profile: docs/register-maps/<file>. */
import { renderCatalogue, renderMap } from './map-documentation.js';
import { loadRegisterMap, profileNames } from './profiles.js';

export function registerMapDocuments(): Array<{ file: string; text: string }> {
  const documents: Array<{ file: string; text: string }> = [];
  for (const name of profileNames()) {
    const map = loadRegisterMap(name);
    documents.push({ file: `${name}.md`, text: renderMap(map, 'md') });
    // one more document per non-default option value (e.g. sunspec-model-213.md)
    for (const [option, values] of Object.entries(map.optionValues)) {
      for (const value of values.filter((v) => String(v) !== String(map.options[option]))) {
        documents.push({ file: `${name}-${option}-${value}.md`, text: renderMap(loadRegisterMap(name, { [option]: value }), 'md') });
      }
    }
  }
  documents.push({ file: 'quantities.md', text: renderCatalogue() });
  return documents;
}
