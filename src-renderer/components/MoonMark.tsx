/** The crescent of the app icon, drawn inline so the page needs no image request. Decorative. */
export function MoonMark() {
  return (
    <svg className="moon-mark" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" focusable="false">
      <mask id="moon-cut">
        <rect width="32" height="32" fill="white" />
        <circle cx="21" cy="12" r="10" fill="black" />
      </mask>
      <circle cx="15" cy="16" r="12" fill="currentColor" mask="url(#moon-cut)" />
    </svg>
  );
}
