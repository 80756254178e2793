/** The bezzie mark: a rounded gradient tile with a "B" (decorative; the link around it is named). */
export function WordmarkLogo() {
  return (
    <svg className="wordmark__logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
      <defs>
        <linearGradient id="wordmark-gradient" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#7C3AED" />
          <stop offset="1" stopColor="#E84D8B" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="8" fill="url(#wordmark-gradient)" />
      <path
        d="M11 8v16h6.2c3.1 0 5-1.6 5-4.3 0-1.9-1.1-3.2-2.8-3.6 1.4-.5 2.2-1.7 2.2-3.2 0-2.4-1.8-4-4.7-4H11Zm3 2.6h2.6c1.4 0 2.2.7 2.2 1.9s-.8 1.9-2.2 1.9H14v-3.8Zm0 6.3h2.9c1.6 0 2.4.7 2.4 2s-.8 2.1-2.4 2.1H14v-4.1Z"
        fill="#fff"
      />
    </svg>
  )
}
