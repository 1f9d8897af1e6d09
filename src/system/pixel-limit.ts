// The largest picture the process decodes (width × height), one setting for
// every decoder: the camera's still-image source (capture/) and the analyzers'
// image reader (vision/). It lives here, below both, so neither imports the other.

/**
 * Checked from the header before any pixel is decoded: a 31 KB PNG can claim
 * 16000×16000 and would take gigabytes. Set from analysis.maxImagePixels.
 */
let imagePixelLimit = 50_000_000;
export function setImagePixelLimit(pixels: number): void { imagePixelLimit = pixels; }
export function getImagePixelLimit(): number { return imagePixelLimit; }
