export declare const assetsDir: string;
/** Copies what the Worker serves as static assets into build/assets (only what changed). */
export declare function buildAssets(): void;
