// Limits on the free text a person gives the engine (task titles, descriptions, criteria, review
// notes), in one place for every face: the CLI, the desktop app and the loopback server all parse
// through these schemas, and the messages name the limit. Text goes into prompts, branch reports and
// terminals, so besides length: no control characters in a title (one line, printable), and none but
// newline and tab in longer text (no escape sequences that would rewrite a terminal).
import { z } from 'zod';

export const textLimits = {
  title: 200,
  description: 20_000,
  criterion: 1_000,
  criteria: 50,
  note: 4_000,
  files: 200,
} as const;

/** C0 controls, DEL and C1 controls, except those in `allowed`. */
function hasControl(text: string, allowed: readonly string[] = []): boolean {
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if ((code < 0x20 || (code >= 0x7f && code <= 0x9f)) && !allowed.includes(ch)) return true;
  }
  return false;
}
// Longer text keeps its line breaks (CRLF included) and tabs.
const LINE_BREAKS_AND_TABS = ['\n', '\r', '\t'];

const lineOfText = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what} is empty`)
    .max(max, `${what} is longer than ${max} characters`)
    .refine(
      (s) => !hasControl(s),
      `${what} contains a control character (a line break, tab or escape); keep it to one printable line`,
    );

const blockOfText = (what: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${what} is longer than ${max} characters`)
    .refine(
      (s) => !hasControl(s, LINE_BREAKS_AND_TABS),
      `${what} contains a control character other than a line break or tab`,
    );

export const taskTitleSchema = lineOfText('the title', textLimits.title);
export const taskDescriptionSchema = blockOfText('the description', textLimits.description);
export const taskCriterionSchema = blockOfText('a criterion', textLimits.criterion);
export const taskCriteriaSchema = z
  .array(taskCriterionSchema)
  .max(textLimits.criteria, `more than ${textLimits.criteria} criteria`)
  .transform((list) => list.filter((c) => c !== ''));
export const taskFilesSchema = z.array(z.string()).max(textLimits.files, `more than ${textLimits.files} files`);
export const reviewNoteSchema = blockOfText('the note', textLimits.note);
