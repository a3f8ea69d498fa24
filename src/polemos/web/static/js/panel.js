// The event panel: one merged event with every report: the sentence with its actors, action (trigger) and
// place highlighted, the outlet, the claim (speaker, status), why the report was merged, and the claims that
// disagree. All article text goes into text nodes; links only to http(s) URLs.
import { el, replaceChildren, safeHref } from './dom.js';
import { LINK_WORDS, mergeWords, place, speaker, when } from './format.js';

export class EventPanel {
  constructor(container, types) {
    this.container = container;
    this.types = types;
  }

  loading(id) {
    replaceChildren(this.container, el('p', { className: 'hint', text: `Loading event ${id}…` }));
  }

  error(message) {
    replaceChildren(this.container, el('p', { className: 'hint', text: message }));
  }

  show(event) {
    const names = new Map();
    for (const actor of [...event.source, ...event.target]) names.set(actor.id, actor.name);
    for (const mention of event.mentions) for (const actor of mention.actors) names.set(actor.id, actor.name);
    const colour = this.types.get(event.type)?.colour || '#777';
    const reportNumber = new Map(event.mentions.map((mention, index) => [mention.claim?.id, index + 1]));
    replaceChildren(
      this.container,
      el('h3', { dataset: { eventId: event.id } },
        el('span', { className: 'swatch', style: { background: colour } }),
        `${event.type}${event.mode ? ` (${event.mode})` : ''}`,
        el('span', { className: 'badge', text: `#${event.id}` }),
        event.contested ? el('span', { className: 'badge contested', text: 'contested' }) : null),
      el('dl', { className: 'facts' },
        fact('When', when(event.date)),
        fact('Where', place(event) + (event.location?.admin1 ? ` (${event.location.admin1})` : '')),
        fact('Source', event.source.map((actor) => actor.name).join(', ') || '—'),
        fact('Target', event.target.map((actor) => actor.name).join(', ') || '—'),
        event.acled_event_type ? fact('ACLED', [event.acled_event_type, event.acled_sub_event_type].filter(Boolean).join(' · ')) : null,
        event.cameo ? fact('CAMEO', event.cameo) : null,
        event.fatalities !== null || event.injured !== null
          ? fact('Casualties', `${event.fatalities ?? '—'} killed, ${event.injured ?? '—'} injured`) : null,
        fact('Claim', `${event.claim_status}${event.contested ? ' · contested' : ''}`),
        fact('Reports', `${event.mention_count} in ${event.document_count} document(s)`),
      ),
      event.claim_links.length ? el('h4', { text: 'Claims that disagree' }) : null,
      event.claim_links.length
        ? el('ul', { className: 'disagreements' }, event.claim_links.map((link) => el('li', {},
          claimRef(reportNumber, link.claim_id, link.speaker, link.status),
          ` ${LINK_WORDS[link.kind] || link.kind.replaceAll('_', ' ')} `,
          claimRef(reportNumber, link.other_claim_id, link.other_speaker, link.other_status))))
        : null,
      el('h4', { text: `Reports (${event.mentions.length})` }),
      el('div', { className: 'sentence-key' },
        el('mark', { className: 'hl-source', text: 'source' }), el('mark', { className: 'hl-trigger', text: 'action' }),
        el('mark', { className: 'hl-target', text: 'target' }), el('mark', { className: 'hl-place', text: 'place' })),
      event.mentions.map((mention, index) => report(mention, index + 1, names)),
    );
  }
}

function fact(term, value) {
  return [el('dt', { text: term }), el('dd', { text: value })];
}

function claimRef(reportNumber, claimId, speaker, status) {
  const number = reportNumber.get(claimId);
  const who = speaker || 'the outlet';
  return number ? `report ${number} (${who}, ${status})` : `${speaker || 'someone'} (${status}, a denial in the same article)`;
}

function report(mention, number, names) {
  const document_ = mention.document;
  const href = safeHref(document_.url);
  const outlet = document_.outlet || document_.key || `document ${document_.id}`;
  const claim = mention.claim;
  const { fragment, outside } = highlightedSentence(mention);
  return el('article', { className: 'report', dataset: { mentionId: mention.id } },
    el('div', { className: 'report-source' },
      `${number}. `,
      href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer nofollow', text: outlet }) : el('strong', { text: outlet }),
      ` · ${document_.date || 'undated'}`,
      document_.title ? ` · ${document_.title}` : ''),
    el('p', { className: 'sentence' }, fragment),
    outside.length ? el('p', { className: 'outside', text: `Named before this sentence: ${outside.join('; ')}` }) : null,
    el('p', { className: 'report-line claim-line' },
      el('span', { className: 'label', text: 'Claim: ' }),
      el('span', { className: `badge status-${claim?.status || 'none'}`, text: claim?.status || 'none' }), ' ',
      claim ? 'by ' : '', el('span', { className: 'claim-speaker', text: claim ? speaker(claim) : '' })),
    el('p', { className: 'report-line' },
      el('span', { className: 'label', text: 'Action: ' }),
      `${mention.type}${mention.trigger ? ` (“${mention.trigger}”)` : ''}` +
        `${mention.acled_sub_event_type ? ` · ${mention.acled_sub_event_type}` : ''} · ${when(mention.date)}` +
        `${mention.date?.text ? ` (“${mention.date.text}”)` : ''}`),
    el('p', { className: 'report-line' }, el('span', { className: 'label', text: 'Merged: ' }), mergeWords(mention.merge_reason, names)),
  );
}

/**
 * The mention's sentence as text nodes and <mark>s for its actors, trigger and place. Spans index the document:
 * the mention's span[0] is where the sentence starts. An actor named outside the sentence (an earlier mention
 * that a pronoun refers back to) is listed in `outside` instead.
 */
export function highlightedSentence(mention) {
  const sentence = mention.sentence || '';
  const offset = mention.span?.[0] ?? 0;
  const marks = [];
  const outside = [];
  const locate = (span, text) => {
    if (span && span[0] !== null && span[0] >= offset && span[1] <= offset + sentence.length) {
      const start = span[0] - offset;
      const end = span[1] - offset;
      if (!text || sentence.slice(start, end) === text) return [start, end];
    }
    if (text) {
      const found = sentence.indexOf(text);
      if (found >= 0) return [found, found + text.length];
    }
    return null;
  };
  for (const actor of mention.actors || []) {
    const where = locate(actor.span, actor.text);
    if (where) marks.push({ where, kind: actor.role === 'source' ? 'source' : 'target', title: `${actor.role}: ${actor.name}` });
    else outside.push(`${actor.text || actor.name} (${actor.role}: ${actor.name})`);
  }
  const trigger = locate(mention.trigger_span, mention.trigger);
  if (trigger) marks.push({ where: trigger, kind: 'trigger', title: `action: ${mention.type}` });
  const placeName = mention.location?.name;
  if (placeName) {
    const found = findPlace(sentence, placeName);
    if (found) marks.push({ where: found, kind: 'place', title: `place: ${placeName}${mention.location.relation ? ` (${mention.location.relation})` : ''}` });
  }
  marks.sort((a, b) => a.where[0] - b.where[0] || b.where[1] - a.where[1]);
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const mark of marks) {
    const [start, end] = mark.where;
    if (start < at) continue; // overlaps an earlier mark
    if (start > at) fragment.appendChild(document.createTextNode(sentence.slice(at, start)));
    fragment.appendChild(el('mark', { className: `hl-${mark.kind}`, title: mark.title, text: sentence.slice(start, end) }));
    at = end;
  }
  if (at < sentence.length) fragment.appendChild(document.createTextNode(sentence.slice(at)));
  return { fragment, outside };
}

/** Where the place's name stands in the sentence, with spaces and hyphens taken as alike ("Deir-ez-Zor"). */
function findPlace(sentence, name) {
  const words = name.split(/[\s\-‐‑]+/).filter(Boolean).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (!words.length) return null;
  const match = new RegExp(words.join('[\\s\\-‐‑]+'), 'i').exec(sentence);
  return match ? [match.index, match.index + match[0].length] : null;
}
