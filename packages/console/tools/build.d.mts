/** The console package's folder. */
export declare const consoleRoot: string;
/** Where `vite build` writes the console; what the alerts service serves at /console/. */
export declare const consoleDist: string;
/** True when dist/index.html is newer than every source file. */
export declare function consoleIsFresh(): boolean;
/** Builds the console unless its dist is fresh (or `force`). */
export declare function ensureConsoleBuilt(options?: {
  force?: boolean;
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
}): Promise<{ dir: string; built: boolean }>;
