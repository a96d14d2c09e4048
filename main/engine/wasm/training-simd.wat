;; The hot element-wise loops of training in WebAssembly SIMD (4 floats per instruction): the
;; LSTM cell, forward and backward, and the Adam update. It runs on the wasm backend's own
;; memory (imported), on buffers tfjs allocated: every pointer is a byte offset into that
;; memory. The same arithmetic as the JavaScript fallbacks (lstm-cell-loops.ts) and as tfjs's
;; Adam; `npm run build:simd` turns this file into training-simd.generated.ts.
;;
;; Cell layout: `s` and `dz` are [B, 4H] rows of gate blocks i, f, o, g (g's σ taken at 2z, so
;; g = 2s_g − 1); the other buffers are [B, H]. `units` (H) must be a multiple of 4.
(module
  (import "env" "memory" (memory 1))

  ;; c = f·cPrev + i·(2s_g − 1) (no f·cPrev term when hasPrev is 0); c2 = 2c.
  (func (export "cellState")
    (param $s i32) (param $cPrev i32) (param $c i32) (param $c2 i32)
    (param $batch i32) (param $units i32) (param $hasPrev i32)
    (local $b i32) (local $k i32) (local $rowS i32) (local $at i32) (local $block i32)
    (local $value v128) (local $one v128) (local $two v128)
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $two (v128.const f32x4 2 2 2 2))
    (local.set $block (i32.shl (local.get $units) (i32.const 2)))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $rowS (i32.add (local.get $s) (i32.mul (local.get $b) (i32.shl (local.get $block) (i32.const 2)))))
        (local.set $at (i32.mul (local.get $b) (local.get $block)))
        (local.set $k (i32.const 0))
        (block $doneCols
          (loop $cols
            (br_if $doneCols (i32.ge_u (local.get $k) (local.get $block)))
            ;; i·(2s_g − 1)
            (local.set $value
              (f32x4.mul
                (v128.load (i32.add (local.get $rowS) (local.get $k)))
                (f32x4.sub
                  (f32x4.mul (local.get $two) (v128.load (i32.add (local.get $rowS) (i32.add (local.get $k) (i32.mul (local.get $block) (i32.const 3))))))
                  (local.get $one))))
            (if (local.get $hasPrev)
              (then
                (local.set $value
                  (f32x4.add
                    (f32x4.mul
                      (v128.load (i32.add (local.get $rowS) (i32.add (local.get $k) (local.get $block))))
                      (v128.load (i32.add (local.get $cPrev) (i32.add (local.get $at) (local.get $k)))))
                    (local.get $value)))))
            (v128.store (i32.add (local.get $c) (i32.add (local.get $at) (local.get $k))) (local.get $value))
            (v128.store (i32.add (local.get $c2) (i32.add (local.get $at) (local.get $k))) (f32x4.add (local.get $value) (local.get $value)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $cols)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  ;; tanhC = 2·σ(2c) − 1 from sc = σ(2c); h = o·tanhC.
  (func (export "cellOutput")
    (param $s i32) (param $sc i32) (param $tanhC i32) (param $h i32)
    (param $batch i32) (param $units i32)
    (local $b i32) (local $k i32) (local $rowO i32) (local $at i32) (local $block i32)
    (local $t v128) (local $one v128) (local $two v128)
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $two (v128.const f32x4 2 2 2 2))
    (local.set $block (i32.shl (local.get $units) (i32.const 2)))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $rowO (i32.add (local.get $s) (i32.add (i32.mul (local.get $b) (i32.shl (local.get $block) (i32.const 2))) (i32.shl (local.get $block) (i32.const 1)))))
        (local.set $at (i32.mul (local.get $b) (local.get $block)))
        (local.set $k (i32.const 0))
        (block $doneCols
          (loop $cols
            (br_if $doneCols (i32.ge_u (local.get $k) (local.get $block)))
            (local.set $t
              (f32x4.sub (f32x4.mul (local.get $two) (v128.load (i32.add (local.get $sc) (i32.add (local.get $at) (local.get $k))))) (local.get $one)))
            (v128.store (i32.add (local.get $tanhC) (i32.add (local.get $at) (local.get $k))) (local.get $t))
            (v128.store (i32.add (local.get $h) (i32.add (local.get $at) (local.get $k)))
              (f32x4.mul (v128.load (i32.add (local.get $rowO) (local.get $k))) (local.get $t)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $cols)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  ;; Four floats to four rows of a row-major matrix: v[l] to addr + l·stride.
  (func $scatter (param $addr i32) (param $stride i32) (param $v v128)
    ;; A stride of 0 means there is no dzT to write (see cellBackward).
    (if (i32.eqz (local.get $stride)) (then (return)))
    (f32.store (local.get $addr) (f32x4.extract_lane 0 (local.get $v)))
    (f32.store (i32.add (local.get $addr) (local.get $stride)) (f32x4.extract_lane 1 (local.get $v)))
    (f32.store (i32.add (local.get $addr) (i32.shl (local.get $stride) (i32.const 1))) (f32x4.extract_lane 2 (local.get $v)))
    (f32.store (i32.add (local.get $addr) (i32.mul (local.get $stride) (i32.const 3))) (f32x4.extract_lane 3 (local.get $v))))

  ;; dz (w.r.t. the pre-activations) from dh, and dc ← the gradient for step t − 1:
  ;; dc' = dc + dh·o·(1 − tanhC²); dz = [dc'·g·i(1−i), dc'·cPrev·f(1−f), dh·tanhC·o(1−o), dc'·i·(1−g²)];
  ;; dc = dc'·f. Without hasPrev (step 0) the f block of dz is 0. dz goes to `dz` ([B, 4H]) and,
  ;; transposed, to columns column … column + B − 1 of dzT ([4H, columns]) while it is in registers;
  ;; with columns 0 there is no dzT and only dz is written.
  (func (export "cellBackward")
    (param $dh i32) (param $dc i32) (param $s i32) (param $cPrev i32) (param $tanhC i32) (param $dz i32)
    (param $batch i32) (param $units i32) (param $hasPrev i32)
    (param $dzT i32) (param $column i32) (param $columns i32)
    (local $b i32) (local $k i32) (local $row i32) (local $at i32) (local $block i32)
    (local $i v128) (local $f v128) (local $o v128) (local $g v128) (local $t v128) (local $dhk v128) (local $dck v128)
    (local $rowS i32) (local $rowZ i32) (local $atK i32) (local $one v128) (local $two v128)
    (local $stride i32) (local $gateStride i32) (local $colB i32) (local $out i32) (local $value v128)
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $two (v128.const f32x4 2 2 2 2))
    (local.set $block (i32.shl (local.get $units) (i32.const 2)))
    (local.set $stride (i32.shl (local.get $columns) (i32.const 2)))
    (local.set $gateStride (i32.mul (local.get $units) (local.get $stride)))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $row (i32.mul (local.get $b) (i32.shl (local.get $block) (i32.const 2))))
        (local.set $at (i32.mul (local.get $b) (local.get $block)))
        (local.set $colB (i32.add (local.get $dzT) (i32.shl (i32.add (local.get $column) (local.get $b)) (i32.const 2))))
        (local.set $k (i32.const 0))
        (block $doneCols
          (loop $cols
            (br_if $doneCols (i32.ge_u (local.get $k) (local.get $block)))
            (local.set $rowS (i32.add (local.get $s) (i32.add (local.get $row) (local.get $k))))
            (local.set $rowZ (i32.add (local.get $dz) (i32.add (local.get $row) (local.get $k))))
            (local.set $atK (i32.add (local.get $at) (local.get $k)))
            ;; dzT row of gate i, unit k/4, this image's column.
            (local.set $out (i32.add (local.get $colB) (i32.mul (i32.shr_u (local.get $k) (i32.const 2)) (local.get $stride))))
            (local.set $i (v128.load (local.get $rowS)))
            (local.set $f (v128.load (i32.add (local.get $rowS) (local.get $block))))
            (local.set $o (v128.load (i32.add (local.get $rowS) (i32.shl (local.get $block) (i32.const 1)))))
            (local.set $g (f32x4.sub (f32x4.mul (local.get $two) (v128.load (i32.add (local.get $rowS) (i32.mul (local.get $block) (i32.const 3))))) (local.get $one)))
            (local.set $t (v128.load (i32.add (local.get $tanhC) (local.get $atK))))
            (local.set $dhk (v128.load (i32.add (local.get $dh) (local.get $atK))))
            (local.set $dck
              (f32x4.add
                (v128.load (i32.add (local.get $dc) (local.get $atK)))
                (f32x4.mul (f32x4.mul (local.get $dhk) (local.get $o)) (f32x4.sub (local.get $one) (f32x4.mul (local.get $t) (local.get $t))))))
            (local.set $value
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dck) (local.get $g)) (local.get $i)) (f32x4.sub (local.get $one) (local.get $i))))
            (v128.store (local.get $rowZ) (local.get $value))
            (call $scatter (local.get $out) (local.get $stride) (local.get $value))
            (local.set $value
              (if (result v128) (local.get $hasPrev)
                (then
                  (f32x4.mul
                    (f32x4.mul (f32x4.mul (local.get $dck) (v128.load (i32.add (local.get $cPrev) (local.get $atK)))) (local.get $f))
                    (f32x4.sub (local.get $one) (local.get $f))))
                (else (v128.const f32x4 0 0 0 0))))
            (v128.store (i32.add (local.get $rowZ) (local.get $block)) (local.get $value))
            (call $scatter (i32.add (local.get $out) (local.get $gateStride)) (local.get $stride) (local.get $value))
            (local.set $value
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dhk) (local.get $t)) (local.get $o)) (f32x4.sub (local.get $one) (local.get $o))))
            (v128.store (i32.add (local.get $rowZ) (i32.shl (local.get $block) (i32.const 1))) (local.get $value))
            (call $scatter (i32.add (local.get $out) (i32.shl (local.get $gateStride) (i32.const 1))) (local.get $stride) (local.get $value))
            (local.set $value
              (f32x4.mul (f32x4.mul (local.get $dck) (local.get $i)) (f32x4.sub (local.get $one) (f32x4.mul (local.get $g) (local.get $g)))))
            (v128.store (i32.add (local.get $rowZ) (i32.mul (local.get $block) (i32.const 3))) (local.get $value))
            (call $scatter (i32.add (local.get $out) (i32.mul (local.get $gateStride) (i32.const 3))) (local.get $stride) (local.get $value))
            (v128.store (i32.add (local.get $dc) (local.get $atK)) (f32x4.mul (local.get $dck) (local.get $f)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $cols)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  ;; Adam on n floats, with the gradient combined from two parts: g = w1·g1 + w2·g2;
  ;; m' = β1·m + (1 − β1)·g; v' = β2·v + (1 − β2)·g²; x' = x + (m'/c1) / (√(v'/c2) + ε) · (−lr),
  ;; c1, c2 the bias corrections 1 − β^t. New values go to new buffers (tensors are immutable).
  (func (export "adam")
    (param $x i32) (param $m i32) (param $v i32) (param $g1 i32) (param $g2 i32)
    (param $xOut i32) (param $mOut i32) (param $vOut i32) (param $n i32)
    (param $w1 f32) (param $w2 f32) (param $beta1 f32) (param $beta2 f32) (param $lr f32)
    (param $eps f32) (param $c1 f32) (param $c2 f32)
    (local $at i32) (local $end i32) (local $vecEnd i32)
    (local $g v128) (local $mNew v128) (local $vNew v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vecEnd (i32.and (local.get $end) (i32.const -16)))
    (block $doneVec
      (loop $vec
        (br_if $doneVec (i32.ge_u (local.get $at) (local.get $vecEnd)))
        (local.set $g
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $g1) (local.get $at))) (f32x4.splat (local.get $w1)))
            (f32x4.mul (v128.load (i32.add (local.get $g2) (local.get $at))) (f32x4.splat (local.get $w2)))))
        (local.set $mNew
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $at))) (f32x4.splat (local.get $beta1)))
            (f32x4.mul (local.get $g) (f32x4.splat (f32.sub (f32.const 1) (local.get $beta1))))))
        (local.set $vNew
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $at))) (f32x4.splat (local.get $beta2)))
            (f32x4.mul (f32x4.mul (local.get $g) (local.get $g)) (f32x4.splat (f32.sub (f32.const 1) (local.get $beta2))))))
        (v128.store (i32.add (local.get $mOut) (local.get $at)) (local.get $mNew))
        (v128.store (i32.add (local.get $vOut) (local.get $at)) (local.get $vNew))
        (v128.store (i32.add (local.get $xOut) (local.get $at))
          (f32x4.add
            (v128.load (i32.add (local.get $x) (local.get $at)))
            (f32x4.mul
              (f32x4.div
                (f32x4.div (local.get $mNew) (f32x4.splat (local.get $c1)))
                (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vNew) (f32x4.splat (local.get $c2)))) (f32x4.splat (local.get $eps))))
              (f32x4.splat (f32.neg (local.get $lr))))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $vec)))
    ;; The last n mod 4 floats, one at a time, the same arithmetic.
    (block $doneTail
      (loop $tail
        (br_if $doneTail (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $gs
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $g1) (local.get $at))) (local.get $w1))
            (f32.mul (f32.load (i32.add (local.get $g2) (local.get $at))) (local.get $w2))))
        (local.set $ms
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $m) (local.get $at))) (local.get $beta1))
            (f32.mul (local.get $gs) (f32.sub (f32.const 1) (local.get $beta1)))))
        (local.set $vs
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $v) (local.get $at))) (local.get $beta2))
            (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (f32.sub (f32.const 1) (local.get $beta2)))))
        (f32.store (i32.add (local.get $mOut) (local.get $at)) (local.get $ms))
        (f32.store (i32.add (local.get $vOut) (local.get $at)) (local.get $vs))
        (f32.store (i32.add (local.get $xOut) (local.get $at))
          (f32.add
            (f32.load (i32.add (local.get $x) (local.get $at)))
            (f32.mul
              (f32.div
                (f32.div (local.get $ms) (local.get $c1))
                (f32.add (f32.sqrt (f32.div (local.get $vs) (local.get $c2))) (local.get $eps)))
              (f32.neg (local.get $lr)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $tail))))
)
