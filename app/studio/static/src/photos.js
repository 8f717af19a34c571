// The photos dropped on the page: 1–4, in view order (front, right side, back, top), reorderable and removable.

export const VIEWS = ["front", "right side", "back", "top"];
export const MAX_PHOTOS = VIEWS.length;
const TYPES = new Set(["image/png", "image/jpeg", "image/webp"]);

export class PhotoList {
  constructor(list, onChange) {
    this.list = list;
    this.onChange = onChange;
    this.items = []; // {file, url}
  }

  /** Add files; answers a sentence about the ones left out (wrong type, over four), or "". */
  add(files) {
    const refused = [];
    for (const file of files) {
      if (!TYPES.has(file.type)) refused.push(`${file.name} is not a PNG, JPEG or WebP image`);
      else if (this.items.length >= MAX_PHOTOS) refused.push(`${file.name} is over the limit of ${MAX_PHOTOS} photos`);
      else this.items.push({ file, url: URL.createObjectURL(file) });
    }
    this.render();
    return refused.length ? `Left out: ${refused.join("; ")}.` : "";
  }

  remove(index) {
    const [gone] = this.items.splice(index, 1);
    if (gone) URL.revokeObjectURL(gone.url);
    this.render();
  }

  move(index, by) {
    const to = index + by;
    if (to < 0 || to >= this.items.length) return;
    [this.items[index], this.items[to]] = [this.items[to], this.items[index]];
    this.render(to);
  }

  clear() {
    for (const item of this.items) URL.revokeObjectURL(item.url);
    this.items = [];
    this.render();
  }

  get files() {
    return this.items.map((i) => i.file);
  }

  button(label, text, action) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "icon";
    button.textContent = text;
    button.setAttribute("aria-label", label);
    button.addEventListener("click", action);
    return button;
  }

  render(focusIndex = null) {
    this.list.replaceChildren(
      ...this.items.map((item, index) => {
        const li = document.createElement("li");
        const img = document.createElement("img");
        img.src = item.url;
        img.alt = `Photo ${index + 1} (${VIEWS[index]}): ${item.file.name}`;
        const caption = document.createElement("span");
        caption.className = "view";
        caption.textContent = `${index + 1} · ${VIEWS[index]}`;
        const tools = document.createElement("span");
        tools.className = "photo-tools";
        tools.append(
          this.button(`Move ${item.file.name} earlier`, "←", () => this.move(index, -1)),
          this.button(`Move ${item.file.name} later`, "→", () => this.move(index, 1)),
          this.button(`Remove ${item.file.name}`, "✕", () => this.remove(index)),
        );
        li.append(img, caption, tools);
        return li;
      }),
    );
    if (focusIndex !== null) this.list.children[focusIndex]?.querySelector("button")?.focus();
    this.onChange(this.items.length);
  }
}
