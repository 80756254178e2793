/** Where the BFF's routes are mounted on this origin (Vite proxy locally, Pages Functions live). */
export const BFF_BASE_PATH = '/auth'
