/**
 * Charts as PNG pictures to take away: a Chart.js canvas, or the SVG of the parallel coordinates,
 * drawn onto an opaque background of the card's colour. A chart's canvas is transparent where
 * nothing is drawn, which most viewers show as black or a checkerboard, and its text colours
 * suit the theme's card, light or dark. The bridge saves the result (lib/download.ts).
 */

const PNG_DATA_URL = 'data:image/png;base64,';

/** Style properties the SVG plot takes from the stylesheet, which a copy drawn as an image would lose. */
const SVG_STYLE_PROPERTIES = [
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-linejoin',
  'opacity',
  'paint-order',
  'font-family',
  'font-size',
  'font-weight',
  'font-variant-numeric',
];

/** `canvas`, at its own pixel size, over `background` (a CSS colour): the PNG's bytes in base64. */
export function canvasPng(canvas: HTMLCanvasElement, background: string): string {
  const { picture, context } = filledCanvas(canvas.width, canvas.height, background);
  context.drawImage(canvas, 0, 0);
  return pngBase64(picture);
}

/**
 * `svg` as it is on screen, `scale` pixels per CSS pixel (the screen's, so it is as sharp as a
 * chart's canvas), over `background`: the PNG's bytes in base64.
 */
export async function svgPng(svg: SVGSVGElement, background: string, scale = window.devicePixelRatio || 1): Promise<string> {
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const targets = [copy, ...copy.querySelectorAll<SVGElement>('*')];
  [svg, ...svg.querySelectorAll('*')].forEach((source, i) => {
    const style = getComputedStyle(source);
    // Through CSSOM, not a style attribute: the CSP refuses inline style attributes.
    for (const property of SVG_STYLE_PROPERTIES) targets[i].style.setProperty(property, style.getPropertyValue(property));
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(copy)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const { picture, context } = filledCanvas(Math.round(width * scale), Math.round(height * scale), background);
    context.drawImage(image, 0, 0, picture.width, picture.height);
    return pngBase64(picture);
  } finally {
    URL.revokeObjectURL(url);
  }
}

function filledCanvas(
  width: number,
  height: number,
  background: string,
): { picture: HTMLCanvasElement; context: CanvasRenderingContext2D } {
  if (width === 0 || height === 0) throw new Error('The chart is not on screen: there is nothing to save yet.');
  const picture = document.createElement('canvas');
  picture.width = width;
  picture.height = height;
  const context = picture.getContext('2d');
  if (!context) throw new Error('This browser cannot draw a picture of the chart.');
  context.fillStyle = background;
  context.fillRect(0, 0, width, height);
  return { picture, context };
}

function pngBase64(canvas: HTMLCanvasElement): string {
  const url = canvas.toDataURL('image/png');
  if (!url.startsWith(PNG_DATA_URL)) throw new Error('This browser did not make a PNG of the chart.');
  return url.slice(PNG_DATA_URL.length);
}
