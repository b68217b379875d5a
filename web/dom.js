// The one element builder of the web client: el("tag", {props}, ...children).
// Props: on<event> adds a listener, class sets className, value and checked set the
// property; null, undefined and false leave no trace (as props and as children).

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else if (key === "value") node.value = value;
    else if (key === "checked") node.checked = Boolean(value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  return setChildren(node, ...children);
}

// Children may be nested arrays; null, undefined and false leave no trace.
export function setChildren(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}
