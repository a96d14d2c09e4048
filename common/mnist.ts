/**
 * MNIST's numbers, in one place: every runtime (the worker's data and model code, the service's
 * schemas, the renderer's form and preprocessing) reads them from here. The split follows the
 * classic tutorial: the first 55,000 training images train, the last 5,000 validate, and the
 * 10,000 t10k images test.
 */

/** Side of an MNIST image, in pixels: also the number of time steps (rows) and of features per step. */
export const IMAGE_SIDE = 28;
/** The recurrent network reads one row per time step… */
export const TIME_STEPS = IMAGE_SIDE;
/** …of this many pixels. */
export const FEATURES = IMAGE_SIDE;
/** Pixels of one image, 28 × 28. */
export const PIXEL_COUNT = IMAGE_SIDE * IMAGE_SIDE;
/** Digits 0–9. */
export const CLASSES = 10;

/** Images in train-images-idx3-ubyte. */
export const MNIST_TRAIN_COUNT = 60_000;
/** Images in t10k-images-idx3-ubyte. */
export const MNIST_TEST_COUNT = 10_000;
/** Training images: the first 55,000 of the 60,000 (one epoch). */
export const TRAIN_COUNT = 55_000;
/** Validation images: the last 5,000. */
export const VALIDATION_COUNT = MNIST_TRAIN_COUNT - TRAIN_COUNT;
