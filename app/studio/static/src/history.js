// The recent jobs of this browser, kept in localStorage (nothing about them is stored server-side for the page).

const KEY = "forge402.recent";
const MAX = 24;

export function load() {
  try {
    const items = JSON.parse(localStorage.getItem(KEY) || "[]");
    return Array.isArray(items) ? items.filter((i) => i && typeof i.id === "string") : [];
  } catch {
    return [];
  }
}

function save(items) {
  try {
    localStorage.setItem(KEY, JSON.stringify(items.slice(0, MAX)));
  } catch {
    // private mode or a full quota: the list just is not kept
  }
}

/** Add or update one job (newest first). */
export function remember(entry) {
  const items = load();
  const index = items.findIndex((i) => i.id === entry.id);
  if (index >= 0) items[index] = { ...items[index], ...entry };
  else items.unshift({ at: new Date().toISOString(), ...entry });
  save(items);
  return items;
}

export function clear() {
  save([]);
  return [];
}
