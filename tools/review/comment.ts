/**
 * The pull-request comment body for one stack: access diff first (never trimmed), then the routing
 * picture, the key access tables and the resource diff, within GitHub's comment size.
 *
 * GitHub refuses a comment body over 65,536 characters: the REST API answers 422 "Body is too long
 * (maximum is 65536 characters)" (https://docs.github.com/rest/issues/comments#create-an-issue-comment;
 * reported in danger/danger#424 and telia-oss/github-pr-resource#259; dead-claudia/github-limits#13
 * measured the unit). The body is measured here in UTF-16 code units (JavaScript's `length`), which is
 * never fewer than the code points GitHub counts.
 */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** A section of the comment. `trim: false` sections (the access diff) are never shortened. */
export interface Part {
    readonly title: string;
    readonly body: string;
    readonly trim: boolean;
}

/** Marks the comment so the workflow edits its own comment per stack instead of adding one per push. */
export const commentMarker = (stack: string): string => `<!-- kms-observability review: ${stack} -->`;

const note = (title: string, removed: number, where: string): string =>
    `\n> ✂ ${title}: ${removed} characters trimmed to fit GitHub's comment limit; the full text is in ${where}.\n`;

/** Cuts `text` to at most `max` characters at a line end, never inside a fenced block (a half diagram does not render). */
export function cut(text: string, max: number): string {
    if (text.length <= max) return text;
    const lines = text.split("\n");
    let out = "";
    let fenceStart = -1;
    for (const line of lines) {
        if (out.length + line.length + 1 > max) break;
        if (line.startsWith("```")) fenceStart = fenceStart < 0 ? out.length : -1;
        out += `${line}\n`;
    }
    return fenceStart >= 0 ? out.slice(0, fenceStart) : out;
}

/**
 * Joins the parts under a header; when the result is over `limit`, shortens the longest trimmable
 * part first (then the next) and says so in a note. If the untrimmable parts alone exceed the limit,
 * every trimmable part is dropped to a note and the result is still returned (the caller checks).
 */
export function renderComment(stack: string, parts: readonly Part[], where: string, limit = GITHUB_COMMENT_LIMIT): string {
    const header = `${commentMarker(stack)}\n## Review: ${stack}\n\n`;
    const bodies = parts.map((p) => p.body);
    const total = () => header.length + bodies.reduce((n, b) => n + b.length + 1, 0);
    const reserve = 200; // room for each note
    for (let round = 0; round < parts.length && total() > limit; round++) {
        const candidates = parts.map((p, i) => ({ p, i })).filter(({ p, i }) => p.trim && bodies[i] === p.body);
        if (candidates.length === 0) break;
        const { p, i } = candidates.reduce((a, b) => (bodies[b.i].length > bodies[a.i].length ? b : a));
        const keep = Math.max(0, bodies[i].length - (total() - limit) - reserve);
        const kept = cut(p.body, keep);
        bodies[i] = kept + note(p.title, p.body.length - kept.length, where);
    }
    return header + bodies.join("\n");
}
