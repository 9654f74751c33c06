// Small DOM helpers shared by the pages. Untrusted text is only ever set through textContent.

/** The element with this id, checked to be of the expected class (a missing element is a page bug). */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`page is missing #${id} (${type.name})`);
  return element;
}

/** A new element with the given class and text. */
export function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = "",
  text = "",
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text) element.textContent = text;
  return element;
}

/** Show a message in a status region, or hide the region when the message is empty. */
export function showMessage(region: HTMLElement, message: string): void {
  region.textContent = message;
  region.hidden = message === "";
}

/** Offer text as a file download (made in the page, so no token travels in a URL). */
export function saveFile(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = make("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; the URL only has to outlive the click.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A definition list's term and value, appended to it. */
export function addDefinition(list: HTMLDListElement, term: string, ...value: (Node | string)[]): HTMLElement {
  const definition = make("dd");
  definition.append(...value);
  list.append(make("dt", "", term), definition);
  return definition;
}
