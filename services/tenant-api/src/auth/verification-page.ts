/** The page a person sees after clicking the link in the e-mail (Accept: text/html). */
export function renderVerificationPage(result: { ok: boolean; message: string }): string {
  const title = result.ok ? 'E-mail address verified' : 'Verification failed';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933}h1{font-size:1.4rem;color:${result.ok ? '#137333' : '#b3261e'}}</style>
</head><body><h1>${title}</h1><p>${escapeHtml(result.message)}</p></body></html>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
