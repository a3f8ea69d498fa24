// Building DOM safely: every piece of text goes in as a text node (textContent), never parsed as HTML. Article
// text, actor names, titles and URLs all pass through here; no script of this page hands a string to the HTML
// parser.

/**
 * Create an element. `attrs`: className, dataset (object), on (object of event handlers), text (textContent),
 * and any other attribute by name (values become strings). Children: nodes, strings (as text nodes), arrays,
 * null/undefined/false (skipped).
 */
export function el(tag, attrs = {}, ...children) {
  const node = tag.includes(':') ? document.createElementNS('http://www.w3.org/2000/svg', tag.split(':')[1]) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'className') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'style') Object.assign(node.style, value);
    else if (key === 'on') for (const [name, handler] of Object.entries(value)) node.addEventListener(name, handler);
    else if (key.startsWith('on')) throw new Error(`event handler attributes are not allowed: ${key}`);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

/** Remove every child of `node`, then append `children` (as in `el`). */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** An http(s) URL from an article as a link target, or null for anything else (javascript:, data:, …). */
export function safeHref(url) {
  if (!url) return null;
  try {
    const parsed = new URL(String(url), window.location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
