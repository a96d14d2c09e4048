/**
 * What the fused recurrent layers (LSTM, GRU, SimpleRNN) share as tf.layers layers: output
 * shapes, the split between the differentiable training call and the lean inference call,
 * skipping the input gradient of a first layer, and the serialised config. Each subclass
 * declares its weights and hands a whole sequence to its own kernels.
 */
import * as tf from '@tensorflow/tfjs';

export interface FusedRecurrentArgs {
  units: number;
  returnSequences?: boolean;
  /** Seed for the Glorot-uniform kernel and orthogonal recurrent kernel. */
  seed?: number;
  name?: string;
  trainable?: boolean;
  inputShape?: tf.Shape;
  batchInputShape?: tf.Shape;
}

type Config = tf.serialization.ConfigDict;

/** A layer's weights as read for one call: input kernel, recurrent kernel, bias. */
export type CellWeights = readonly [tf.Tensor, tf.Tensor, tf.Tensor];

export abstract class FusedRecurrent extends tf.layers.Layer {
  readonly units: number;
  readonly returnSequences: boolean;
  readonly seed: number | undefined;
  private kernel: tf.LayerVariable | null = null;
  private recurrentKernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: FusedRecurrentArgs) {
    super(args);
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.seed = args.seed;
  }

  /** Gate blocks per weight matrix: 4 for the LSTM, 3 for the GRU, 1 for SimpleRNN. */
  protected abstract readonly gates: number;
  /** The bias's shape and initial values. */
  protected abstract biasInit(): { shape: number[]; values: Float32Array };
  /** The differentiable pass over a whole sequence (training). */
  protected abstract sequence(x: tf.Tensor3D, weights: CellWeights, needsInputGrad: boolean): tf.Tensor;
  /** The same forward pass without gradient bookkeeping (predictions, evaluation). */
  protected abstract inference(x: tf.Tensor3D, weights: CellWeights): tf.Tensor;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const features = shape[shape.length - 1] as number;
    const { seed, units, gates } = this;
    this.kernel = this.addWeight('kernel', [features, gates * units], 'float32', tf.initializers.glorotUniform({ seed }));
    const orthogonal = tf.initializers.orthogonal({ seed: seed === undefined ? undefined : seed + 1, gain: 1 });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [units, gates * units], 'float32', orthogonal);
    const bias = this.biasInit();
    this.bias = this.addWeight('bias', bias.shape, 'float32', tf.initializers.zeros());
    // tfjs exports no Initializer base to subclass for a bias that is not all one value.
    tf.tidy(() => {
      this.bias?.write(tf.tensor(bias.values, bias.shape));
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
    if (!this.kernel || !this.recurrentKernel || !this.bias) throw new Error(`${this.getClassName()} used before build`);
    const weights = [this.kernel.read(), this.recurrentKernel.read(), this.bias.read()] as const;
    if (!kwargs.training) return this.inference(x, weights);
    return this.sequence(x, weights, this.hasTrainableUpstream());
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
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}
