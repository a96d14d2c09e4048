/**
 * A tf.layers layer around `lstmSequence`, registered for serialization so saved runs load
 * back with tf.loadLayersModel. Weights: kernel [F, 4H], recurrentKernel [H, 4H], bias [4H],
 * gate order i, f, o, g; the forget-gate slice of the bias starts at `forgetBias`.
 */
import * as tf from '@tensorflow/tfjs';
import { lstmInference, lstmSequence } from './fused-lstm';

export interface FusedLSTMArgs {
  units: number;
  returnSequences?: boolean;
  forgetBias?: number;
  /** Seed for the Glorot-uniform kernel and orthogonal recurrent kernel. */
  seed?: number;
  name?: string;
  trainable?: boolean;
  inputShape?: tf.Shape;
  batchInputShape?: tf.Shape;
}

type Config = tf.serialization.ConfigDict;

export class FusedLSTM extends tf.layers.Layer {
  static readonly className = 'FusedLSTM';
  readonly units: number;
  readonly returnSequences: boolean;
  readonly forgetBias: number;
  readonly seed: number | undefined;
  private kernel: tf.LayerVariable | null = null;
  private recurrentKernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: FusedLSTMArgs) {
    super(args);
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.forgetBias = args.forgetBias ?? 1;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const features = shape[shape.length - 1] as number;
    const seed = this.seed;
    this.kernel = this.addWeight('kernel', [features, 4 * this.units], 'float32', tf.initializers.glorotUniform({ seed }));
    const orthogonal = tf.initializers.orthogonal({ seed: seed === undefined ? undefined : seed + 1, gain: 1 });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, 4 * this.units], 'float32', orthogonal);
    this.bias = this.addWeight('bias', [4 * this.units], 'float32', tf.initializers.zeros());
    // Zeros except the forget gate's slice [H, 2H); tfjs exports no Initializer base to subclass.
    const values = new Float32Array(4 * this.units).fill(this.forgetBias, this.units, 2 * this.units);
    tf.tidy(() => {
      this.bias?.write(tf.tensor1d(values));
    });
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return this.returnSequences ? [shape[0], shape[1], this.units] : [shape[0], this.units];
  }

  /** Training calls (`training: true`) are differentiable; others take the lean inference path. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean } = {}): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    if (!this.kernel || !this.recurrentKernel || !this.bias) throw new Error('FusedLSTM used before build');
    const [w, u, b] = [this.kernel.read(), this.recurrentKernel.read(), this.bias.read() as tf.Tensor1D];
    if (!kwargs.training) return lstmInference(x, w, u, b, this.returnSequences);
    return lstmSequence(x, w, u, b, this.returnSequences, this.hasTrainableUpstream());
  }

  /**
   * Whether any trainable weight feeds this layer's input; when none does (the first layer, with
   * or without dropout before it), the input gradient is never used and is not computed.
   * A layer used outside a model graph says true, the safe answer.
   */
  private hasTrainableUpstream(): boolean {
    if (this.inboundNodes.length === 0) return true;
    const pending = this.inboundNodes.flatMap((node) => node.inboundLayers);
    const seen = new Set<tf.layers.Layer>();
    for (let layer = pending.pop(); layer; layer = pending.pop()) {
      if (seen.has(layer)) continue;
      seen.add(layer);
      if (layer.trainableWeights.length > 0) return true;
      pending.push(...layer.inboundNodes.flatMap((node) => node.inboundLayers));
    }
    return false;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      units: this.units,
      returnSequences: this.returnSequences,
      forgetBias: this.forgetBias,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}

tf.serialization.registerClass(FusedLSTM);
