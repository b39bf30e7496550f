/**
 * Saves text the page already holds as a file, through an object URL: downloads that need the JWT (exports, the
 * audit history) are fetched with it first, since a plain link cannot send the Authorization header.
 */
export function saveTextFile(text: string, name: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
