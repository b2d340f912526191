// The words text is matched by: an identifier, a path or the task, split into lower-case words
// (camelCase and acronyms apart, a plural's `s` dropped), common words left out.
const stopWords = new Set(
  "the and for with from that this when then than should must into not are was were can will would fix add make use uses using new all any each more less only also have has but its it's our your their them they via per get set file files test tests code task change changes when where which what who does done".split(
    ' ',
  ),
);

/** Lower-case words of an identifier, path or sentence: `parseISODate` → parse, iso, date. */
export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((w) => (w.length > 4 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w))
    .filter((w) => w.length >= 3 && !stopWords.has(w));
}
