;; The hot loops of training-time augmentation (common/augment.ts), for the training threads:
;; the warp onto the canvas, the 3×3 dilation or erosion with its blend, and the refit's
;; area-averaging resample. The same arithmetic as the JavaScript, operation for operation and
;; in the same order (double precision, rounded to float where the JavaScript stores into a
;; Float32Array), so either gives the same image bit for bit; augment-simd.test.ts checks it.
;; `npm run build:simd` turns this file into augment-simd.generated.ts.
;;
;; The module has a memory of its own (exported): the workspace of common/augment.ts lives in it
;; at the fixed offsets below, as Float32Array views, so JavaScript and these loops share it
;; without copying. Offsets in bytes.
;;   PADDED   0      the source with a blank border, 30×30
;;   CANVAS   4096   the warped image, 32×32
;;   SPARE    8192   the other canvas of the thickness change
;;   LINE     12288  scratch of the morphology's row pass
;;   FLINE    16384  one canvas row of the elastic field: 5 x shifts, 5 y shifts
;;   FIELD    16448  the elastic field's 5×5 x shifts, then 5×5 y shifts
;;   CELL     16704  per canvas row or column, its grid cell (i32 × 32)
;;   FRACTION 16832  per canvas row or column, the position in that cell (f32 × 32)
;;   BOX      16960  the source's ink box (i32 × 4)
;;   FITTED   17408  the refit 28×28 image
;;   ROWS     20608  the resample's row pass (up to 20 × 32)
;;   DIGIT    23168  the resampled digit before it is placed (up to 20 × 20)
;;   XW       24832  the resample's weights across (axisWeights below)
;;   YW       40000  the resample's weights down
;;   SOURCE   47104  the 28×28 image to augment
(module
  (memory (export "memory") 2)

  ;; canvas[v][u] = sample(M⁻¹ · (u, v) + centre) over the window [u0, u1) × [v0, v1): augment.ts `warpLinear`.
  (func (export "warpLinear")
    (param $a f64) (param $b f64) (param $c f64) (param $d f64)
    (param $u0 i32) (param $u1 i32) (param $v0 i32) (param $v1 i32)
    (local $u i32) (local $v i32) (local $px f64) (local $py f64) (local $x f64) (local $y f64)
    (local $x0 i32) (local $y0 i32) (local $k i32) (local $p0 f64) (local $p1 f64) (local $top f64) (local $bottom f64) (local $value f64)
    (local.set $v (local.get $v0))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_s (local.get $v) (local.get $v1)))
        (local.set $py (f64.sub (f64.add (f64.convert_i32_s (local.get $v)) (f64.const 0.5)) (f64.const 16)))
        (local.set $u (local.get $u0))
        (block $doneCols
          (loop $cols
            (br_if $doneCols (i32.ge_s (local.get $u) (local.get $u1)))
            (local.set $px (f64.sub (f64.add (f64.convert_i32_s (local.get $u)) (f64.const 0.5)) (f64.const 16)))
            (local.set $x (f64.add (f64.add (f64.mul (local.get $a) (local.get $px)) (f64.mul (local.get $b) (local.get $py))) (f64.const 14)))
            (local.set $y (f64.add (f64.add (f64.mul (local.get $c) (local.get $px)) (f64.mul (local.get $d) (local.get $py))) (f64.const 14)))
            ;; the bilinear sample of the padded source at (x, y), 0 off the image (augment.ts `sample`);
            ;; written out here, not called: a call per pixel was a sixth of the whole augmentation
            (local.set $value (f64.const 0))
            (if (i32.eqz
                  (i32.or
                    (i32.or (f64.le (local.get $x) (f64.const -0.5)) (f64.le (local.get $y) (f64.const -0.5)))
                    (i32.or (f64.ge (local.get $x) (f64.const 28.5)) (f64.ge (local.get $y) (f64.const 28.5)))))
              (then
                (local.set $x (f64.add (local.get $x) (f64.const 0.5)))
                (local.set $y (f64.add (local.get $y) (f64.const 0.5)))
                (local.set $x0 (i32.trunc_f64_s (local.get $x)))
                (local.set $y0 (i32.trunc_f64_s (local.get $y)))
                (local.set $x (f64.sub (local.get $x) (f64.convert_i32_s (local.get $x0))))
                (local.set $y (f64.sub (local.get $y) (f64.convert_i32_s (local.get $y0))))
                ;; byte offset of padded[y0 · 30 + x0]
                (local.set $k (i32.shl (i32.add (i32.mul (local.get $y0) (i32.const 30)) (local.get $x0)) (i32.const 2)))
                (local.set $p0 (f64.promote_f32 (f32.load (local.get $k))))
                (local.set $p1 (f64.promote_f32 (f32.load offset=4 (local.get $k))))
                (local.set $top (f64.add (local.get $p0) (f64.mul (f64.sub (local.get $p1) (local.get $p0)) (local.get $x))))
                (local.set $p0 (f64.promote_f32 (f32.load offset=120 (local.get $k))))
                (local.set $p1 (f64.promote_f32 (f32.load offset=124 (local.get $k))))
                (local.set $bottom (f64.add (local.get $p0) (f64.mul (f64.sub (local.get $p1) (local.get $p0)) (local.get $x))))
                (local.set $value (f64.add (local.get $top) (f64.mul (f64.sub (local.get $bottom) (local.get $top)) (local.get $y))))))
            (f32.store offset=4096 (i32.shl (i32.add (i32.shl (local.get $v) (i32.const 5)) (local.get $u)) (i32.const 2)) (f32.demote_f64 (local.get $value)))
            (local.set $u (i32.add (local.get $u) (i32.const 1)))
            (br $cols)))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br $rows))))

  ;; FLINE = row v of the field, blended between its grid rows: augment.ts `fieldRow`.
  (func $fieldRow (param $v i32)
    (local $fy f64) (local $axis i32) (local $i i32) (local $k i32) (local $top f64)
    (local.set $fy (f64.promote_f32 (f32.load offset=16832 (i32.shl (local.get $v) (i32.const 2)))))
    (local.set $axis (i32.const 0))
    (loop $axes
      ;; k = axis·25 + CELL[v]·5, as a byte offset into FIELD
      (local.set $k
        (i32.shl
          (i32.add (i32.mul (local.get $axis) (i32.const 25)) (i32.mul (i32.load offset=16704 (i32.shl (local.get $v) (i32.const 2))) (i32.const 5)))
          (i32.const 2)))
      (local.set $i (i32.const 0))
      (loop $points
        (local.set $top (f64.promote_f32 (f32.load offset=16448 (i32.add (local.get $k) (i32.shl (local.get $i) (i32.const 2))))))
        (f32.store offset=16384
          (i32.shl (i32.add (i32.mul (local.get $axis) (i32.const 5)) (local.get $i)) (i32.const 2))
          (f32.demote_f64
            (f64.add (local.get $top)
              (f64.mul
                (f64.sub (f64.promote_f32 (f32.load offset=16468 (i32.add (local.get $k) (i32.shl (local.get $i) (i32.const 2))))) (local.get $top))
                (local.get $fy)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $points (i32.lt_s (local.get $i) (i32.const 5))))
      (local.set $axis (i32.add (local.get $axis) (i32.const 1)))
      (br_if $axes (i32.lt_s (local.get $axis) (i32.const 2)))))

  ;; warpLinear plus the elastic field's shift of each sampling point: augment.ts `warpElastic`.
  (func (export "warpElastic")
    (param $a f64) (param $b f64) (param $c f64) (param $d f64)
    (param $u0 i32) (param $u1 i32) (param $v0 i32) (param $v1 i32)
    (local $u i32) (local $v i32) (local $px f64) (local $py f64) (local $i i32) (local $fx f64)
    (local $r0 f64) (local $r1 f64) (local $x f64) (local $y f64)
    (local $x0 i32) (local $y0 i32) (local $k i32) (local $p0 f64) (local $p1 f64) (local $top f64) (local $bottom f64) (local $value f64)
    (local.set $v (local.get $v0))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_s (local.get $v) (local.get $v1)))
        (local.set $py (f64.sub (f64.add (f64.convert_i32_s (local.get $v)) (f64.const 0.5)) (f64.const 16)))
        (call $fieldRow (local.get $v))
        (local.set $u (local.get $u0))
        (block $doneCols
          (loop $cols
            (br_if $doneCols (i32.ge_s (local.get $u) (local.get $u1)))
            (local.set $px (f64.sub (f64.add (f64.convert_i32_s (local.get $u)) (f64.const 0.5)) (f64.const 16)))
            ;; byte offset of FLINE[CELL[u]]; the fraction FRACTION[u]
            (local.set $i (i32.shl (i32.load offset=16704 (i32.shl (local.get $u) (i32.const 2))) (i32.const 2)))
            (local.set $fx (f64.promote_f32 (f32.load offset=16832 (i32.shl (local.get $u) (i32.const 2)))))
            (local.set $r0 (f64.promote_f32 (f32.load offset=16384 (local.get $i))))
            (local.set $r1 (f64.promote_f32 (f32.load offset=16388 (local.get $i))))
            (local.set $x
              (f64.add
                (f64.add (f64.add (f64.mul (local.get $a) (local.get $px)) (f64.mul (local.get $b) (local.get $py))) (f64.const 14))
                (f64.add (local.get $r0) (f64.mul (f64.sub (local.get $r1) (local.get $r0)) (local.get $fx)))))
            (local.set $r0 (f64.promote_f32 (f32.load offset=16404 (local.get $i))))
            (local.set $r1 (f64.promote_f32 (f32.load offset=16408 (local.get $i))))
            (local.set $y
              (f64.add
                (f64.add (f64.add (f64.mul (local.get $c) (local.get $px)) (f64.mul (local.get $d) (local.get $py))) (f64.const 14))
                (f64.add (local.get $r0) (f64.mul (f64.sub (local.get $r1) (local.get $r0)) (local.get $fx)))))
            ;; the bilinear sample of the padded source at (x, y), 0 off the image (augment.ts `sample`);
            ;; written out here, not called: a call per pixel was a sixth of the whole augmentation
            (local.set $value (f64.const 0))
            (if (i32.eqz
                  (i32.or
                    (i32.or (f64.le (local.get $x) (f64.const -0.5)) (f64.le (local.get $y) (f64.const -0.5)))
                    (i32.or (f64.ge (local.get $x) (f64.const 28.5)) (f64.ge (local.get $y) (f64.const 28.5)))))
              (then
                (local.set $x (f64.add (local.get $x) (f64.const 0.5)))
                (local.set $y (f64.add (local.get $y) (f64.const 0.5)))
                (local.set $x0 (i32.trunc_f64_s (local.get $x)))
                (local.set $y0 (i32.trunc_f64_s (local.get $y)))
                (local.set $x (f64.sub (local.get $x) (f64.convert_i32_s (local.get $x0))))
                (local.set $y (f64.sub (local.get $y) (f64.convert_i32_s (local.get $y0))))
                ;; byte offset of padded[y0 · 30 + x0]
                (local.set $k (i32.shl (i32.add (i32.mul (local.get $y0) (i32.const 30)) (local.get $x0)) (i32.const 2)))
                (local.set $p0 (f64.promote_f32 (f32.load (local.get $k))))
                (local.set $p1 (f64.promote_f32 (f32.load offset=4 (local.get $k))))
                (local.set $top (f64.add (local.get $p0) (f64.mul (f64.sub (local.get $p1) (local.get $p0)) (local.get $x))))
                (local.set $p0 (f64.promote_f32 (f32.load offset=120 (local.get $k))))
                (local.set $p1 (f64.promote_f32 (f32.load offset=124 (local.get $k))))
                (local.set $bottom (f64.add (local.get $p0) (f64.mul (f64.sub (local.get $p1) (local.get $p0)) (local.get $x))))
                (local.set $value (f64.add (local.get $top) (f64.mul (f64.sub (local.get $bottom) (local.get $top)) (local.get $y))))))
            (f32.store offset=4096 (i32.shl (i32.add (i32.shl (local.get $v) (i32.const 5)) (local.get $u)) (i32.const 2)) (f32.demote_f64 (local.get $value)))
            (local.set $u (i32.add (local.get $u) (i32.const 1)))
            (br $cols)))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br $rows))))
;; ---- The thickness change: one 3×3 dilation or erosion and its blend (augment.ts `changeThickness`).
  ;; Four floats at a time: a max or min of floats is exact, so the vectors give the
  ;; JavaScript's values. Whole canvas rows of the rectangle's rows [v0, v1) are computed: outside
  ;; its columns the source has no ink, so they come out 0 as the JavaScript leaves them.

  ;; max (dilate ≠ 0) or min of two vectors
  (func $pick (param $p v128) (param $q v128) (param $dilate i32) (result v128)
    (if (result v128) (local.get $dilate)
      (then (f32x4.max (local.get $p) (local.get $q)))
      (else (f32x4.min (local.get $p) (local.get $q)))))

  ;; LINE rows [v0, v1) = each pixel with its left and right neighbours, off the canvas `edge`.
  (func $morphRows (param $from i32) (param $v0 i32) (param $v1 i32) (param $dilate i32) (param $edge v128)
    (local $v i32) (local $x i32) (local $at i32) (local $left v128) (local $right v128) (local $centre v128)
    (local.set $v (local.get $v0))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_s (local.get $v) (local.get $v1)))
        (local.set $x (i32.const 0))
        (loop $cols
          (local.set $at (i32.add (local.get $from) (i32.shl (i32.add (i32.shl (local.get $v) (i32.const 5)) (local.get $x)) (i32.const 2))))
          (local.set $centre (v128.load (local.get $at)))
          (local.set $left (v128.load (i32.sub (local.get $at) (i32.const 4))))
          (local.set $right (v128.load (i32.add (local.get $at) (i32.const 4))))
          (if (i32.eqz (local.get $x))
            (then (local.set $left (f32x4.replace_lane 0 (local.get $left) (f32x4.extract_lane 0 (local.get $edge))))))
          (if (i32.eq (local.get $x) (i32.const 28))
            (then (local.set $right (f32x4.replace_lane 3 (local.get $right) (f32x4.extract_lane 0 (local.get $edge))))))
          (v128.store offset=12288
            (i32.shl (i32.add (i32.shl (local.get $v) (i32.const 5)) (local.get $x)) (i32.const 2))
            (call $pick (call $pick (local.get $left) (local.get $centre) (local.get $dilate)) (local.get $right) (local.get $dilate)))
          (local.set $x (i32.add (local.get $x) (i32.const 4)))
          (br_if $cols (i32.lt_s (local.get $x) (i32.const 32))))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br $rows))))

  ;; `to` rows [v0, v1) = each LINE pixel with the ones above and below, off the canvas `edge`.
  (func $morphColumns (param $to i32) (param $v0 i32) (param $v1 i32) (param $dilate i32) (param $edge v128)
    (local $v i32) (local $x i32) (local $at i32) (local $up v128) (local $down v128)
    (local.set $v (local.get $v0))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_s (local.get $v) (local.get $v1)))
        (local.set $x (i32.const 0))
        (loop $cols
          (local.set $at (i32.shl (i32.add (i32.shl (local.get $v) (i32.const 5)) (local.get $x)) (i32.const 2)))
          (local.set $up (local.get $edge))
          (if (i32.gt_s (local.get $v) (i32.const 0))
            (then (local.set $up (v128.load offset=12160 (local.get $at)))))
          (local.set $down (local.get $edge))
          (if (i32.lt_s (local.get $v) (i32.const 31))
            (then (local.set $down (v128.load offset=12416 (local.get $at)))))
          (v128.store (i32.add (local.get $to) (local.get $at))
            (call $pick
              (call $pick (local.get $up) (v128.load offset=12288 (local.get $at)) (local.get $dilate))
              (local.get $down) (local.get $dilate)))
          (local.set $x (i32.add (local.get $x) (i32.const 4)))
          (br_if $cols (i32.lt_s (local.get $x) (i32.const 32))))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br $rows))))

  ;; One step of the thickness change: `to` (the other canvas, CANVAS or SPARE) = the 3×3
  ;; dilation or erosion of `from` over rows [v0, v1), then blended back towards `from` by
  ;; `fraction` (in double precision, as the JavaScript does). Returns the brightest ink left.
  (func (export "thicknessStep")
    (param $from i32) (param $to i32) (param $v0 i32) (param $v1 i32) (param $dilate i32) (param $fraction f64)
    (result f64)
    (local $edge v128) (local $i i32) (local $end i32) (local $p v128) (local $q v128) (local $f v128)
    (local $lo v128) (local $hi v128) (local $ink v128)
    (local.set $edge (v128.const f32x4 1 1 1 1))
    (if (local.get $dilate) (then (local.set $edge (v128.const f32x4 0 0 0 0))))
    (memory.fill (i32.const 12288) (i32.const 0) (i32.const 4096))
    (memory.fill (local.get $to) (i32.const 0) (i32.const 4096))
    (call $morphRows (local.get $from) (local.get $v0) (local.get $v1) (local.get $dilate) (local.get $edge))
    (call $morphColumns (local.get $to) (local.get $v0) (local.get $v1) (local.get $dilate) (local.get $edge))
    ;; to = from + (to − from)·fraction over the rows, two doubles at a time
    (local.set $f (f64x2.splat (local.get $fraction)))
    (local.set $ink (v128.const f32x4 0 0 0 0))
    (local.set $i (i32.shl (local.get $v0) (i32.const 7)))
    (local.set $end (i32.shl (local.get $v1) (i32.const 7)))
    (block $done
      (loop $blend
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $p (v128.load (i32.add (local.get $from) (local.get $i))))
        (local.set $q (v128.load (i32.add (local.get $to) (local.get $i))))
        (local.set $lo
          (f32x4.demote_f64x2_zero
            (f64x2.add (f64x2.promote_low_f32x4 (local.get $p))
              (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $q)) (f64x2.promote_low_f32x4 (local.get $p))) (local.get $f)))))
        (local.set $p (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $p) (local.get $p)))
        (local.set $q (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $q) (local.get $q)))
        (local.set $hi
          (f32x4.demote_f64x2_zero
            (f64x2.add (f64x2.promote_low_f32x4 (local.get $p))
              (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $q)) (f64x2.promote_low_f32x4 (local.get $p))) (local.get $f)))))
        (local.set $q (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo) (local.get $hi)))
        (v128.store (i32.add (local.get $to) (local.get $i)) (local.get $q))
        (local.set $ink (f32x4.max (local.get $ink) (local.get $q)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blend)))
    (f64.promote_f32
      (f32.max
        (f32.max (f32x4.extract_lane 0 (local.get $ink)) (f32x4.extract_lane 1 (local.get $ink)))
        (f32.max (f32x4.extract_lane 2 (local.get $ink)) (f32x4.extract_lane 3 (local.get $ink))))))
;; ---- The source (SOURCE, 28×28) copied into PADDED (augment.ts `pad`), and its ink box
  ;; (augment.ts `inkBox`): x0, y0, x1, y1
  ;; (inclusive) into BOX (16960, i32 × 4); x1 = −1 without ink. Four pixels a compare: a row
  ;; has ink when any of its compares holds, a column when it held in any row.
  (func (export "inkBox")
    (local $y i32) (local $at i32) (local $y0 i32) (local $y1 i32) (local $row v128) (local $m v128) (local $bits i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128)
    ;; PADDED's middle = SOURCE (its border stays 0)
    (loop $copy
      (memory.copy
        (i32.add (i32.const 124) (i32.mul (local.get $y) (i32.const 120)))
        (i32.add (i32.const 47104) (i32.mul (local.get $y) (i32.const 112)))
        (i32.const 112))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br_if $copy (i32.lt_s (local.get $y) (i32.const 28))))
    (local.set $y (i32.const 0))
    (local.set $y0 (i32.const -1)) (local.set $y1 (i32.const -1))
    (loop $rows
      ;; byte offset of padded[(y + 1) · 30 + 1]
      (local.set $at (i32.add (i32.const 124) (i32.mul (local.get $y) (i32.const 120))))
      (local.set $row (v128.const i32x4 0 0 0 0))
      (local.set $m (f32x4.gt (v128.load offset=0 (local.get $at)) (v128.const f32x4 0 0 0 0)))
      (local.set $c0 (v128.or (local.get $c0) (local.get $m)))
      (local.set $row (v128.or (local.get $row) (local.get $m)))
      (local.set $m (f32x4.gt (v128.load offset=16 (local.get $at)) (v128.const f32x4 0 0 0 0)))
      (local.set $c1 (v128.or (local.get $c1) (local.get $m)))
      (local.set $row (v128.or (local.get $row) (local.get $m)))
      (local.set $m (f32x4.gt (v128.load offset=32 (local.get $at)) (v128.const f32x4 0 0 0 0)))
      (local.set $c2 (v128.or (local.get $c2) (local.get $m)))
      (local.set $row (v128.or (local.get $row) (local.get $m)))
      (local.set $m (f32x4.gt (v128.load offset=48 (local.get $at)) (v128.const f32x4 0 0 0 0)))
      (local.set $c3 (v128.or (local.get $c3) (local.get $m)))
      (local.set $row (v128.or (local.get $row) (local.get $m)))
      (local.set $m (f32x4.gt (v128.load offset=64 (local.get $at)) (v128.const f32x4 0 0 0 0)))
      (local.set $c4 (v128.or (local.get $c4) (local.get $m)))
      (local.set $row (v128.or (local.get $row) (local.get $m)))
      (local.set $m (f32x4.gt (v128.load offset=80 (local.get $at)) (v128.const f32x4 0 0 0 0)))
      (local.set $c5 (v128.or (local.get $c5) (local.get $m)))
      (local.set $row (v128.or (local.get $row) (local.get $m)))
      (local.set $m (f32x4.gt (v128.load offset=96 (local.get $at)) (v128.const f32x4 0 0 0 0)))
      (local.set $c6 (v128.or (local.get $c6) (local.get $m)))
      (local.set $row (v128.or (local.get $row) (local.get $m)))
      (if (v128.any_true (local.get $row))
        (then
          (if (i32.lt_s (local.get $y0) (i32.const 0)) (then (local.set $y0 (local.get $y))))
          (local.set $y1 (local.get $y))))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br_if $rows (i32.lt_s (local.get $y) (i32.const 28))))
    ;; bit x set: column x has ink
    (local.set $bits (i32.or (i32.or (i32.or (i32.or (i32.or (i32.or (i32x4.bitmask (local.get $c0)) (i32.shl (i32x4.bitmask (local.get $c1)) (i32.const 4))) (i32.shl (i32x4.bitmask (local.get $c2)) (i32.const 8))) (i32.shl (i32x4.bitmask (local.get $c3)) (i32.const 12))) (i32.shl (i32x4.bitmask (local.get $c4)) (i32.const 16))) (i32.shl (i32x4.bitmask (local.get $c5)) (i32.const 20))) (i32.shl (i32x4.bitmask (local.get $c6)) (i32.const 24))))
    (if (i32.eqz (local.get $bits))
      (then (i32.store offset=8 (i32.const 16960) (i32.const -1)) (return)))
    (i32.store (i32.const 16960) (i32.ctz (local.get $bits)))
    (i32.store offset=4 (i32.const 16960) (local.get $y0))
    (i32.store offset=8 (i32.const 16960) (i32.sub (i32.const 31) (i32.clz (local.get $bits))))
    (i32.store offset=12 (i32.const 16960) (local.get $y1)))

  ;; ---- The refit (preprocess.ts `fitInk`): crop the canvas's ink, fit it into 20×20 keeping
  ;; its aspect by area averaging, brightest pixel 1, centre of mass at the centre of 28×28,
  ;; into FITTED (17408), from canvas `from` (CANVAS or SPARE). Returns 0 when its rows [v0, v1)
  ;; hold no ink above `threshold` (the JavaScript's window columns need no check: no ink lies
  ;; outside them).

  ;; JavaScript's Math.round: the nearest integer, halves towards +∞.
  (func $round (param $x f64) (result f64)
    (local $up f64)
    (local.set $up (f64.ceil (local.get $x)))
    (if (result f64) (f64.gt (f64.sub (local.get $up) (f64.const 0.5)) (local.get $x))
      (then (f64.sub (local.get $up) (f64.const 1)))
      (else (local.get $up))))

  (func $clamp (param $v f64) (param $lo f64) (param $hi f64) (result f64)
    (f64.min (local.get $hi) (f64.max (local.get $lo) (local.get $v))))

  ;; preprocess.ts `axisWeights(size, target)`: per target pixel its first source pixel at
  ;; `starts` (i32), its number of weights at `starts` + 80 (i32) and the weights (f64, 40 per
  ;; target pixel) at `starts` + 160.
  (func $axisWeights (param $size i32) (param $target i32) (param $starts i32)
    (local $span f64) (local $t i32) (local $from f64) (local $to f64) (local $s f64) (local $overlap f64)
    (local $count i32) (local $weights i32)
    (local.set $span (f64.div (f64.convert_i32_s (local.get $size)) (f64.convert_i32_s (local.get $target))))
    (block $done
      (loop $targets
        (br_if $done (i32.ge_s (local.get $t) (local.get $target)))
        (local.set $from (f64.mul (f64.convert_i32_s (local.get $t)) (local.get $span)))
        (local.set $to (f64.min (f64.convert_i32_s (local.get $size)) (f64.add (local.get $from) (local.get $span))))
        (local.set $s (f64.floor (local.get $from)))
        (i32.store (i32.add (local.get $starts) (i32.shl (local.get $t) (i32.const 2))) (i32.trunc_f64_s (local.get $s)))
        (local.set $weights (i32.add (i32.add (local.get $starts) (i32.const 160)) (i32.mul (local.get $t) (i32.const 320))))
        (local.set $count (i32.const 0))
        (block $last
          (loop $sources
            (br_if $last (i32.eqz (f64.lt (local.get $s) (local.get $to))))
            (local.set $overlap
              (f64.sub
                (f64.min (local.get $to) (f64.add (local.get $s) (f64.const 1)))
                (f64.max (local.get $from) (local.get $s))))
            (if (f64.gt (local.get $overlap) (f64.const 0))
              (then
                (f64.store (i32.add (local.get $weights) (i32.shl (local.get $count) (i32.const 3))) (f64.div (local.get $overlap) (local.get $span)))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            (local.set $s (f64.add (local.get $s) (f64.const 1)))
            (br $sources)))
        (i32.store offset=80 (i32.add (local.get $starts) (i32.shl (local.get $t) (i32.const 2))) (local.get $count))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $targets))))

  ;; DIGIT (width × height at 23168) = the box of canvas `from` (CANVAS or SPARE) at (x0, y0), `boxWidth` × `boxHeight`,
  ;; area-averaged: rows into ROWS (20608) first, then columns (preprocess.ts `resampleBox`).
  (func $resample (param $from i32) (param $x0 i32) (param $y0 i32) (param $boxWidth i32) (param $boxHeight i32) (param $width i32) (param $height i32)
    (local $x i32) (local $y i32) (local $line i32) (local $at i32) (local $k i32) (local $count i32) (local $weights i32)
    (local $sum f64) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $width) (i32.const 2)))
    (call $axisWeights (local.get $boxWidth) (local.get $width) (i32.const 24832))
    (call $axisWeights (local.get $boxHeight) (local.get $height) (i32.const 40000))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_s (local.get $y) (local.get $boxHeight)))
        ;; byte offset of from[(y0 + y)·32 + x0]
        (local.set $line
          (i32.add (local.get $from) (i32.shl (i32.add (i32.shl (i32.add (local.get $y0) (local.get $y)) (i32.const 5)) (local.get $x0)) (i32.const 2))))
        (local.set $x (i32.const 0))
        (block $doneCols
          (loop $cols
            (br_if $doneCols (i32.ge_s (local.get $x) (local.get $width)))
            ;; Σₖ weight[k] · value k (`step` bytes apart from `at`), in order
            (local.set $count (i32.load offset=80 (i32.add (i32.const 24832) (i32.shl (local.get $x) (i32.const 2)))))
            (local.set $weights (i32.add (i32.const 24992) (i32.mul (local.get $x) (i32.const 320))))
            (local.set $at (i32.add (local.get $line) (i32.shl (i32.load (i32.add (i32.const 24832) (i32.shl (local.get $x) (i32.const 2)))) (i32.const 2))))
            (local.set $sum (f64.const 0))
            (local.set $k (i32.const 0))
            (block $doneTerms
              (loop $terms
                (br_if $doneTerms (i32.ge_s (local.get $k) (local.get $count)))
                (local.set $sum
                  (f64.add (local.get $sum)
                    (f64.mul
                      (f64.load (i32.add (local.get $weights) (i32.shl (local.get $k) (i32.const 3))))
                      (f64.promote_f32 (f32.load (local.get $at))))))
                (local.set $at (i32.add (local.get $at) (i32.const 4)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $terms)))
            (f32.store offset=20608 (i32.shl (i32.add (i32.mul (local.get $y) (local.get $width)) (local.get $x)) (i32.const 2)) (f32.demote_f64 (local.get $sum)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $cols)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows)))
    (local.set $y (i32.const 0))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_s (local.get $y) (local.get $height)))
        (local.set $x (i32.const 0))
        (block $doneCols
          (loop $cols
            (br_if $doneCols (i32.ge_s (local.get $x) (local.get $width)))
            ;; the same down a column of ROWS: a row (width floats) per term
            (local.set $count (i32.load offset=80 (i32.add (i32.const 40000) (i32.shl (local.get $y) (i32.const 2)))))
            (local.set $weights (i32.add (i32.const 40160) (i32.mul (local.get $y) (i32.const 320))))
            (local.set $at (i32.add (i32.const 20608)
                (i32.shl
                  (i32.add (i32.mul (i32.load (i32.add (i32.const 40000) (i32.shl (local.get $y) (i32.const 2)))) (local.get $width)) (local.get $x))
                  (i32.const 2))))
            (local.set $sum (f64.const 0))
            (local.set $k (i32.const 0))
            (block $doneTerms
              (loop $terms
                (br_if $doneTerms (i32.ge_s (local.get $k) (local.get $count)))
                (local.set $sum
                  (f64.add (local.get $sum)
                    (f64.mul
                      (f64.load (i32.add (local.get $weights) (i32.shl (local.get $k) (i32.const 3))))
                      (f64.promote_f32 (f32.load (local.get $at))))))
                (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $terms)))
            (f32.store offset=23168 (i32.shl (i32.add (i32.mul (local.get $y) (local.get $width)) (local.get $x)) (i32.const 2)) (f32.demote_f64 (local.get $sum)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $cols)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows))))

  (func (export "fit") (param $from i32) (param $v0 i32) (param $v1 i32) (param $threshold f32) (result i32)
    (local $x i32) (local $y i32) (local $x0 i32) (local $y0 i32) (local $x1 i32) (local $y1 i32)
    (local $boxWidth i32) (local $boxHeight i32) (local $scale f64) (local $width i32) (local $height i32)
    (local $count i32) (local $i i32) (local $v f64) (local $max f64)
    (local $mass f64) (local $mx f64) (local $my f64) (local $cx f64) (local $cy f64) (local $dx i32) (local $dy i32)
    (local $at i32) (local $bits i32) (local $thresholds v128) (local $row v128) (local $m v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)
    (memory.fill (i32.const 17408) (i32.const 0) (i32.const 3136))
    ;; the ink's bounds within the window (preprocess.ts `inkBounds`), four pixels a compare over
    ;; whole rows: the canvas has no ink outside the window's columns. `threshold` is the largest
    ;; float at most the JavaScript's (double) threshold, so a pixel passes exactly when it does there.
    (local.set $thresholds (f32x4.splat (local.get $threshold)))
    (local.set $x1 (i32.const -1)) (local.set $y1 (i32.const -1))
    (local.set $y (local.get $v0))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_s (local.get $y) (local.get $v1)))
        (local.set $at (i32.add (local.get $from) (i32.shl (local.get $y) (i32.const 7))))
        (local.set $row (v128.const i32x4 0 0 0 0))
        (local.set $m (f32x4.gt (v128.load offset=0 (local.get $at)) (local.get $thresholds)))
        (local.set $c0 (v128.or (local.get $c0) (local.get $m)))
        (local.set $row (v128.or (local.get $row) (local.get $m)))
        (local.set $m (f32x4.gt (v128.load offset=16 (local.get $at)) (local.get $thresholds)))
        (local.set $c1 (v128.or (local.get $c1) (local.get $m)))
        (local.set $row (v128.or (local.get $row) (local.get $m)))
        (local.set $m (f32x4.gt (v128.load offset=32 (local.get $at)) (local.get $thresholds)))
        (local.set $c2 (v128.or (local.get $c2) (local.get $m)))
        (local.set $row (v128.or (local.get $row) (local.get $m)))
        (local.set $m (f32x4.gt (v128.load offset=48 (local.get $at)) (local.get $thresholds)))
        (local.set $c3 (v128.or (local.get $c3) (local.get $m)))
        (local.set $row (v128.or (local.get $row) (local.get $m)))
        (local.set $m (f32x4.gt (v128.load offset=64 (local.get $at)) (local.get $thresholds)))
        (local.set $c4 (v128.or (local.get $c4) (local.get $m)))
        (local.set $row (v128.or (local.get $row) (local.get $m)))
        (local.set $m (f32x4.gt (v128.load offset=80 (local.get $at)) (local.get $thresholds)))
        (local.set $c5 (v128.or (local.get $c5) (local.get $m)))
        (local.set $row (v128.or (local.get $row) (local.get $m)))
        (local.set $m (f32x4.gt (v128.load offset=96 (local.get $at)) (local.get $thresholds)))
        (local.set $c6 (v128.or (local.get $c6) (local.get $m)))
        (local.set $row (v128.or (local.get $row) (local.get $m)))
        (local.set $m (f32x4.gt (v128.load offset=112 (local.get $at)) (local.get $thresholds)))
        (local.set $c7 (v128.or (local.get $c7) (local.get $m)))
        (local.set $row (v128.or (local.get $row) (local.get $m)))
        (if (v128.any_true (local.get $row))
          (then
            (if (i32.lt_s (local.get $y1) (i32.const 0)) (then (local.set $y0 (local.get $y))))
            (local.set $y1 (local.get $y))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows)))
    (local.set $bits (i32.or (i32.or (i32.or (i32.or (i32.or (i32.or (i32.or (i32x4.bitmask (local.get $c0)) (i32.shl (i32x4.bitmask (local.get $c1)) (i32.const 4))) (i32.shl (i32x4.bitmask (local.get $c2)) (i32.const 8))) (i32.shl (i32x4.bitmask (local.get $c3)) (i32.const 12))) (i32.shl (i32x4.bitmask (local.get $c4)) (i32.const 16))) (i32.shl (i32x4.bitmask (local.get $c5)) (i32.const 20))) (i32.shl (i32x4.bitmask (local.get $c6)) (i32.const 24))) (i32.shl (i32x4.bitmask (local.get $c7)) (i32.const 28))))
    (if (i32.eqz (local.get $bits)) (then (return (i32.const 0))))
    (local.set $x0 (i32.ctz (local.get $bits)))
    (local.set $x1 (i32.sub (i32.const 31) (i32.clz (local.get $bits))))
    (if (i32.lt_s (local.get $x1) (i32.const 0)) (then (return (i32.const 0))))
    (local.set $boxWidth (i32.sub (i32.add (local.get $x1) (i32.const 1)) (local.get $x0)))
    (local.set $boxHeight (i32.sub (i32.add (local.get $y1) (i32.const 1)) (local.get $y0)))
    (local.set $scale
      (f64.div (f64.const 20)
        (f64.convert_i32_s (select (local.get $boxWidth) (local.get $boxHeight) (i32.gt_s (local.get $boxWidth) (local.get $boxHeight))))))
    (local.set $width
      (i32.trunc_f64_s (call $clamp (call $round (f64.mul (f64.convert_i32_s (local.get $boxWidth)) (local.get $scale))) (f64.const 1) (f64.const 20))))
    (local.set $height
      (i32.trunc_f64_s (call $clamp (call $round (f64.mul (f64.convert_i32_s (local.get $boxHeight)) (local.get $scale))) (f64.const 1) (f64.const 20))))
    (call $resample (local.get $from) (local.get $x0) (local.get $y0) (local.get $boxWidth) (local.get $boxHeight) (local.get $width) (local.get $height))
    ;; brightest pixel 1 (preprocess.ts `normalise`)
    (local.set $count (i32.mul (local.get $width) (local.get $height)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $scan
        (br_if $done (i32.ge_s (local.get $i) (local.get $count)))
        (local.set $v (f64.promote_f32 (f32.load offset=23168 (i32.shl (local.get $i) (i32.const 2)))))
        (if (f64.gt (local.get $v) (local.get $max)) (then (local.set $max (local.get $v))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (if (f64.gt (local.get $max) (f64.const 0))
      (then
        (local.set $i (i32.const 0))
        (block $done
          (loop $scale
            (br_if $done (i32.ge_s (local.get $i) (local.get $count)))
            (f32.store offset=23168 (i32.shl (local.get $i) (i32.const 2))
              (f32.demote_f64
                (f64.min (f64.const 1)
                  (f64.div (f64.promote_f32 (f32.load offset=23168 (i32.shl (local.get $i) (i32.const 2)))) (local.get $max)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $scale)))))
    ;; centre of mass (preprocess.ts `centreOfMass`), in the same order
    (local.set $y (i32.const 0))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_s (local.get $y) (local.get $height)))
        (local.set $x (i32.const 0))
        (block $doneCols
          (loop $cols
            (br_if $doneCols (i32.ge_s (local.get $x) (local.get $width)))
            (local.set $v
              (f64.promote_f32 (f32.load offset=23168 (i32.shl (i32.add (i32.mul (local.get $y) (local.get $width)) (local.get $x)) (i32.const 2)))))
            (local.set $mass (f64.add (local.get $mass) (local.get $v)))
            (local.set $mx (f64.add (local.get $mx) (f64.mul (local.get $v) (f64.add (f64.convert_i32_s (local.get $x)) (f64.const 0.5)))))
            (local.set $my (f64.add (local.get $my) (f64.mul (local.get $v) (f64.add (f64.convert_i32_s (local.get $y)) (f64.const 0.5)))))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $cols)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows)))
    (if (f64.gt (local.get $mass) (f64.const 0))
      (then
        (local.set $cx (f64.div (local.get $mx) (local.get $mass)))
        (local.set $cy (f64.div (local.get $my) (local.get $mass))))
      (else
        (local.set $cx (f64.div (f64.convert_i32_s (local.get $width)) (f64.const 2)))
        (local.set $cy (f64.div (f64.convert_i32_s (local.get $height)) (f64.const 2)))))
    (local.set $dx
      (i32.trunc_f64_s
        (call $clamp (call $round (f64.sub (f64.const 14) (local.get $cx))) (f64.const 0) (f64.convert_i32_s (i32.sub (i32.const 28) (local.get $width))))))
    (local.set $dy
      (i32.trunc_f64_s
        (call $clamp (call $round (f64.sub (f64.const 14) (local.get $cy))) (f64.const 0) (f64.convert_i32_s (i32.sub (i32.const 28) (local.get $height))))))
    ;; placed in 28×28
    (local.set $y (i32.const 0))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_s (local.get $y) (local.get $height)))
        (memory.copy
          (i32.add (i32.const 17408) (i32.shl (i32.add (i32.mul (i32.add (local.get $y) (local.get $dy)) (i32.const 28)) (local.get $dx)) (i32.const 2)))
          (i32.add (i32.const 23168) (i32.shl (i32.mul (local.get $y) (local.get $width)) (i32.const 2)))
          (i32.shl (local.get $width) (i32.const 2)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows)))
    (i32.const 1))
)
