;; C = A·B for float32 matrices on the wasm backend's memory, with fused multiply-add
;; (f32x4.relaxed_madd, from the relaxed-SIMD proposal). XNNPACK's WebAssembly build in
;; tfjs-backend-wasm has only plain SIMD, a multiply and an add per product: ~35 GFLOP/s per
;; core here against ~50 for this kernel, and three matrix products are ~90 % of a training
;; step's arithmetic. Every pointer is a byte offset into the imported memory; `npm run build:simd` turns
;; this file into gemm-simd.generated.ts.
;;
;; A is read through strides, A(i, k) at a + i·rs + k·cs, so a transposed operand costs
;; nothing; B and C are row-major with row strides ldb and ldc (bytes). B is read in place, not
;; packed as a whole: panels of 8 columns, each copied to contiguous scratch when enough rows
;; reuse it, 4 rows of C at a time (8 accumulators in registers). M is taken
;; in blocks of 64 rows and a long K in blocks of 128 (256 up to K = 512: fewer passes over C
;; where B's block still fits), so that the blocks of A and B being read stay in cache.
;; Any n: the last n mod 8 columns are a panel zero-padded to 8 in the scratch, and their rows
;; of C go through a small tile there, so nothing past C's n columns is written (GRU 100's 300
;; gate columns, SimpleRNN 100's 100, odd unit counts).
(module
  (import "env" "memory" (memory 1))

  ;; C[4 rows, 8 columns] (+)= A[4 rows, k] · B[k, 8 columns]; with $acc 0, C is overwritten.
  (func $block4x8
    (param $pa i32) (param $rs i32) (param $cs i32) (param $pb i32) (param $ldb i32)
    (param $pc i32) (param $ldc i32) (param $k i32) (param $acc i32)
    (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pc1 i32) (local $pc2 i32) (local $pc3 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $a v128)
    (local.set $pa1 (i32.add (local.get $pa) (local.get $rs)))
    (local.set $pa2 (i32.add (local.get $pa1) (local.get $rs)))
    (local.set $pa3 (i32.add (local.get $pa2) (local.get $rs)))
    (local.set $pc1 (i32.add (local.get $pc) (local.get $ldc)))
    (local.set $pc2 (i32.add (local.get $pc1) (local.get $ldc)))
    (local.set $pc3 (i32.add (local.get $pc2) (local.get $ldc)))
    (if (local.get $acc)
      (then
        (local.set $c00 (v128.load (local.get $pc)))  (local.set $c01 (v128.load offset=16 (local.get $pc)))
        (local.set $c10 (v128.load (local.get $pc1))) (local.set $c11 (v128.load offset=16 (local.get $pc1)))
        (local.set $c20 (v128.load (local.get $pc2))) (local.set $c21 (v128.load offset=16 (local.get $pc2)))
        (local.set $c30 (v128.load (local.get $pc3))) (local.set $c31 (v128.load offset=16 (local.get $pc3)))))
    (block $done
      (loop $steps
        (br_if $done (i32.eqz (local.get $k)))
        (local.set $b0 (v128.load (local.get $pb)))
        (local.set $b1 (v128.load offset=16 (local.get $pb)))
        (local.set $a (v128.load32_splat (local.get $pa)))
        (local.set $c00 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c00)))
        (local.set $c01 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c01)))
        (local.set $a (v128.load32_splat (local.get $pa1)))
        (local.set $c10 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c10)))
        (local.set $c11 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c11)))
        (local.set $a (v128.load32_splat (local.get $pa2)))
        (local.set $c20 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c20)))
        (local.set $c21 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c21)))
        (local.set $a (v128.load32_splat (local.get $pa3)))
        (local.set $c30 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c30)))
        (local.set $c31 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c31)))
        (local.set $pa (i32.add (local.get $pa) (local.get $cs)))
        (local.set $pa1 (i32.add (local.get $pa1) (local.get $cs)))
        (local.set $pa2 (i32.add (local.get $pa2) (local.get $cs)))
        (local.set $pa3 (i32.add (local.get $pa3) (local.get $cs)))
        (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $steps)))
    (v128.store (local.get $pc) (local.get $c00))  (v128.store offset=16 (local.get $pc) (local.get $c01))
    (v128.store (local.get $pc1) (local.get $c10)) (v128.store offset=16 (local.get $pc1) (local.get $c11))
    (v128.store (local.get $pc2) (local.get $c20)) (v128.store offset=16 (local.get $pc2) (local.get $c21))
    (v128.store (local.get $pc3) (local.get $c30)) (v128.store offset=16 (local.get $pc3) (local.get $c31)))

  ;; One row: C[1, 8] (+)= A[1, k] · B[k, 8], for the rows left over after blocks of 4 (and the
  ;; drawing pad's single image). Four steps of k at a time into separate accumulators, so that
  ;; eight multiply-adds are in flight, as in the 4-row block.
  (func $block1x8
    (param $pa i32) (param $cs i32) (param $pb i32) (param $ldb i32) (param $pc i32) (param $k i32) (param $acc i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128) (local $a v128)
    (if (local.get $acc)
      (then (local.set $c0 (v128.load (local.get $pc))) (local.set $c1 (v128.load offset=16 (local.get $pc)))))
    (block $done4
      (loop $steps4
        (br_if $done4 (i32.lt_u (local.get $k) (i32.const 4)))
        (local.set $a (v128.load32_splat (local.get $pa)))
        (local.set $c0 (f32x4.relaxed_madd (local.get $a) (v128.load (local.get $pb)) (local.get $c0)))
        (local.set $c1 (f32x4.relaxed_madd (local.get $a) (v128.load offset=16 (local.get $pb)) (local.get $c1)))
        (local.set $pa (i32.add (local.get $pa) (local.get $cs)))
        (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
        (local.set $a (v128.load32_splat (local.get $pa)))
        (local.set $c2 (f32x4.relaxed_madd (local.get $a) (v128.load (local.get $pb)) (local.get $c2)))
        (local.set $c3 (f32x4.relaxed_madd (local.get $a) (v128.load offset=16 (local.get $pb)) (local.get $c3)))
        (local.set $pa (i32.add (local.get $pa) (local.get $cs)))
        (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
        (local.set $a (v128.load32_splat (local.get $pa)))
        (local.set $c4 (f32x4.relaxed_madd (local.get $a) (v128.load (local.get $pb)) (local.get $c4)))
        (local.set $c5 (f32x4.relaxed_madd (local.get $a) (v128.load offset=16 (local.get $pb)) (local.get $c5)))
        (local.set $pa (i32.add (local.get $pa) (local.get $cs)))
        (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
        (local.set $a (v128.load32_splat (local.get $pa)))
        (local.set $c6 (f32x4.relaxed_madd (local.get $a) (v128.load (local.get $pb)) (local.get $c6)))
        (local.set $c7 (f32x4.relaxed_madd (local.get $a) (v128.load offset=16 (local.get $pb)) (local.get $c7)))
        (local.set $pa (i32.add (local.get $pa) (local.get $cs)))
        (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
        (local.set $k (i32.sub (local.get $k) (i32.const 4)))
        (br $steps4)))
    (block $done
      (loop $steps
        (br_if $done (i32.eqz (local.get $k)))
        (local.set $a (v128.load32_splat (local.get $pa)))
        (local.set $c0 (f32x4.relaxed_madd (local.get $a) (v128.load (local.get $pb)) (local.get $c0)))
        (local.set $c1 (f32x4.relaxed_madd (local.get $a) (v128.load offset=16 (local.get $pb)) (local.get $c1)))
        (local.set $pa (i32.add (local.get $pa) (local.get $cs)))
        (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $steps)))
    (v128.store (local.get $pc)
      (f32x4.add (f32x4.add (local.get $c0) (local.get $c2)) (f32x4.add (local.get $c4) (local.get $c6))))
    (v128.store offset=16 (local.get $pc)
      (f32x4.add (f32x4.add (local.get $c1) (local.get $c3)) (f32x4.add (local.get $c5) (local.get $c7)))))

  ;; Copies k rows of 8 floats, ldb bytes apart from $from, into 32-byte rows at $to.
  (func $pack (param $from i32) (param $ldb i32) (param $to i32) (param $k i32)
    (block $done
      (loop $copy
        (br_if $done (i32.eqz (local.get $k)))
        (v128.store (local.get $to) (v128.load (local.get $from)))
        (v128.store offset=16 (local.get $to) (v128.load offset=16 (local.get $from)))
        (local.set $from (i32.add (local.get $from) (local.get $ldb)))
        (local.set $to (i32.add (local.get $to) (i32.const 32)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $copy))))

;; Copies k rows of `width` (< 8) floats, ldb bytes apart from $from, into 32-byte rows at
  ;; $to, zero-padded to 8 floats.
  (func $packTail (param $from i32) (param $ldb i32) (param $to i32) (param $k i32) (param $width i32)
    (local $j i32)
    (block $done
      (loop $copy
        (br_if $done (i32.eqz (local.get $k)))
        (v128.store (local.get $to) (v128.const i32x4 0 0 0 0))
        (v128.store offset=16 (local.get $to) (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $doneRow
          (loop $each
            (br_if $doneRow (i32.ge_u (local.get $j) (local.get $width)))
            (f32.store (i32.add (local.get $to) (i32.shl (local.get $j) (i32.const 2)))
              (f32.load (i32.add (local.get $from) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $each)))
        (local.set $from (i32.add (local.get $from) (local.get $ldb)))
        (local.set $to (i32.add (local.get $to) (i32.const 32)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $copy))))

  ;; Copies `rows` rows of `width` floats between C (row stride ldc) and a tile of 32-byte rows:
  ;; C into the tile when $in, else the tile into C.
  (func $tileCopy (param $c i32) (param $ldc i32) (param $tile i32) (param $rows i32) (param $width i32) (param $in i32)
    (local $j i32) (local $pc i32) (local $pt i32)
    (block $done
      (loop $eachRow
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $doneRow
          (loop $each
            (br_if $doneRow (i32.ge_u (local.get $j) (local.get $width)))
            (local.set $pc (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $pt (i32.add (local.get $tile) (i32.shl (local.get $j) (i32.const 2))))
            (if (local.get $in)
              (then (f32.store (local.get $pt) (f32.load (local.get $pc))))
              (else (f32.store (local.get $pc) (f32.load (local.get $pt)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $each)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (local.set $tile (i32.add (local.get $tile) (i32.const 32)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $eachRow))))

  ;; Rows [row0, rowEnd) of C's last `width` (< 8) columns, starting at $pc, over one block of k:
  ;; the panel of B zero-padded to 8 columns in the scratch, each block of up to 4 rows of C
  ;; computed in a tile after it (loaded from C first when accumulating) and its `width`
  ;; columns copied back.
  (func $tail
    (param $a i32) (param $rs i32) (param $cs i32) (param $pb i32) (param $ldb i32) (param $pc i32) (param $ldc i32)
    (param $row0 i32) (param $rowEnd i32) (param $width i32) (param $k i32) (param $acc i32) (param $scratch i32)
    (local $row i32) (local $rows i32) (local $tile i32) (local $c i32) (local $r i32)
    (local.set $tile (i32.add (local.get $scratch) (i32.const 8192)))
    (call $packTail (local.get $pb) (local.get $ldb) (local.get $scratch) (local.get $k) (local.get $width))
    (local.set $row (local.get $row0))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $row) (local.get $rowEnd)))
        (local.set $rows (select (i32.const 4) (i32.sub (local.get $rowEnd) (local.get $row))
          (i32.ge_u (i32.sub (local.get $rowEnd) (local.get $row)) (i32.const 4))))
        (local.set $c (i32.add (local.get $pc) (i32.mul (local.get $row) (local.get $ldc))))
        (if (local.get $acc)
          (then (call $tileCopy (local.get $c) (local.get $ldc) (local.get $tile) (local.get $rows) (local.get $width) (i32.const 1))))
        (if (i32.eq (local.get $rows) (i32.const 4))
          (then
            (call $block4x8
              (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $rs))) (local.get $rs) (local.get $cs)
              (local.get $scratch) (i32.const 32) (local.get $tile) (i32.const 32) (local.get $k) (local.get $acc)))
          (else
            (local.set $r (i32.const 0))
            (block $doneSingles
              (loop $singles
                (br_if $doneSingles (i32.ge_u (local.get $r) (local.get $rows)))
                (call $block1x8
                  (i32.add (local.get $a) (i32.mul (i32.add (local.get $row) (local.get $r)) (local.get $rs))) (local.get $cs)
                  (local.get $scratch) (i32.const 32)
                  (i32.add (local.get $tile) (i32.shl (local.get $r) (i32.const 5)))
                  (local.get $k) (local.get $acc))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br $singles)))))
        (call $tileCopy (local.get $c) (local.get $ldc) (local.get $tile) (local.get $rows) (local.get $width) (i32.const 0))
        (local.set $row (i32.add (local.get $row) (local.get $rows)))
        (br $blocks))))

  ;; Rows [row, rowEnd) of C, all n columns, over one block of k: panels of 8 columns outer,
  ;; so a panel of B is read from cache by every block of rows.
  (func $rows
    (param $a i32) (param $rs i32) (param $cs i32) (param $b i32) (param $ldb0 i32) (param $c i32) (param $ldc i32)
    (param $row0 i32) (param $rowEnd i32) (param $n i32) (param $k i32) (param $acc i32) (param $scratch i32)
    (local $col i32) (local $row i32) (local $pb i32) (local $ldb i32)
    (block $doneCols
      (loop $cols
        (br_if $doneCols (i32.ge_u (local.get $col) (local.get $n)))
        (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $col) (i32.const 2))))
        (if (i32.lt_u (i32.sub (local.get $n) (local.get $col)) (i32.const 8))
          (then
            (call $tail
              (local.get $a) (local.get $rs) (local.get $cs) (local.get $pb) (local.get $ldb0)
              (i32.add (local.get $c) (i32.shl (local.get $col) (i32.const 2))) (local.get $ldc)
              (local.get $row0) (local.get $rowEnd) (i32.sub (local.get $n) (local.get $col)) (local.get $k) (local.get $acc)
              (local.get $scratch))
            (br $doneCols)))
        (local.set $ldb (local.get $ldb0))
        ;; Enough rows to reuse it: copy the panel into contiguous scratch first. Read in place,
        ;; its k rows lie ldb apart, and with a wide B (ldb a multiple of 4 KB at 1,024 columns)
        ;; they all fall in the same few L1 sets and evict each other between blocks of rows.
        (if (i32.ge_u (i32.sub (local.get $rowEnd) (local.get $row0)) (i32.const 16))
          (then
            (call $pack (local.get $pb) (local.get $ldb0) (local.get $scratch) (local.get $k))
            (local.set $pb (local.get $scratch))
            (local.set $ldb (i32.const 32))))
        (local.set $row (local.get $row0))
        (block $doneBlocks
          (loop $blocks
            (br_if $doneBlocks (i32.gt_u (i32.add (local.get $row) (i32.const 4)) (local.get $rowEnd)))
            (call $block4x8
              (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $rs))) (local.get $rs) (local.get $cs)
              (local.get $pb) (local.get $ldb)
              (i32.add (i32.add (local.get $c) (i32.mul (local.get $row) (local.get $ldc))) (i32.shl (local.get $col) (i32.const 2)))
              (local.get $ldc) (local.get $k) (local.get $acc))
            (local.set $row (i32.add (local.get $row) (i32.const 4)))
            (br $blocks)))
        (block $doneSingles
          (loop $singles
            (br_if $doneSingles (i32.ge_u (local.get $row) (local.get $rowEnd)))
            (call $block1x8
              (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $rs))) (local.get $cs)
              (local.get $pb) (local.get $ldb)
              (i32.add (i32.add (local.get $c) (i32.mul (local.get $row) (local.get $ldc))) (i32.shl (local.get $col) (i32.const 2)))
              (local.get $k) (local.get $acc))
            (local.set $row (i32.add (local.get $row) (i32.const 1)))
            (br $singles)))
        (local.set $col (i32.add (local.get $col) (i32.const 8)))
        (br $cols))))

  ;; For the bench: `n` rounds of 10 independent multiply-adds on registers only (no memory),
  ;; 80 FLOP per round: the FMA ceiling of this core as wasm's 128-bit SIMD reaches it, against
  ;; which the products' rates are read. Returns a lane so the work cannot be optimised away.
  (func (export "fmaPeak") (param $n i32) (result f32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128) (local $c8 v128) (local $c9 v128) (local $x v128) (local $y v128)
    (local.set $x (v128.const f32x4 0.999 0.999 0.999 0.999))
    (local.set $y (v128.const f32x4 0.001 0.001 0.001 0.001))
    (block $done
      (loop $rounds
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $c0 (f32x4.relaxed_madd (local.get $c0) (local.get $x) (local.get $y)))
        (local.set $c1 (f32x4.relaxed_madd (local.get $c1) (local.get $x) (local.get $y)))
        (local.set $c2 (f32x4.relaxed_madd (local.get $c2) (local.get $x) (local.get $y)))
        (local.set $c3 (f32x4.relaxed_madd (local.get $c3) (local.get $x) (local.get $y)))
        (local.set $c4 (f32x4.relaxed_madd (local.get $c4) (local.get $x) (local.get $y)))
        (local.set $c5 (f32x4.relaxed_madd (local.get $c5) (local.get $x) (local.get $y)))
        (local.set $c6 (f32x4.relaxed_madd (local.get $c6) (local.get $x) (local.get $y)))
        (local.set $c7 (f32x4.relaxed_madd (local.get $c7) (local.get $x) (local.get $y)))
        (local.set $c8 (f32x4.relaxed_madd (local.get $c8) (local.get $x) (local.get $y)))
        (local.set $c9 (f32x4.relaxed_madd (local.get $c9) (local.get $x) (local.get $y)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $rounds)))
    (f32x4.extract_lane 0 (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (local.get $c0) (local.get $c1)) (local.get $c2)) (local.get $c3)) (local.get $c4)) (local.get $c5)) (local.get $c6)) (local.get $c7)) (local.get $c8)) (local.get $c9))))

  ;; C[m, n] = A[m, k] · B[k, n]; $scratch: 8 KB + 128 bytes the kernel may overwrite (a panel:
  ;; 256 rows of 8 floats, then the tail's 4 × 8 tile).
  (func (export "gemm")
    (param $a i32) (param $rs i32) (param $cs i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32)
    (param $m i32) (param $n i32) (param $k i32) (param $scratch i32)
    (local $k0 i32) (local $kc i32) (local $kcMax i32) (local $row0 i32) (local $rowEnd i32)
    (local.set $kcMax (select (i32.const 128) (i32.const 256) (i32.gt_u (local.get $k) (i32.const 512))))
    (block $doneDepth
      (loop $depth
        (br_if $doneDepth (i32.ge_u (local.get $k0) (local.get $k)))
        (local.set $kc (select (local.get $kcMax) (i32.sub (local.get $k) (local.get $k0))
          (i32.lt_u (local.get $kcMax) (i32.sub (local.get $k) (local.get $k0)))))
        (local.set $row0 (i32.const 0))
        (block $doneRows
          (loop $rowBlocks
            (br_if $doneRows (i32.ge_u (local.get $row0) (local.get $m)))
            (local.set $rowEnd (select (i32.add (local.get $row0) (i32.const 64)) (local.get $m)
              (i32.lt_u (i32.add (local.get $row0) (i32.const 64)) (local.get $m))))
            (call $rows
              (i32.add (local.get $a) (i32.mul (local.get $k0) (local.get $cs))) (local.get $rs) (local.get $cs)
              (i32.add (local.get $b) (i32.mul (local.get $k0) (local.get $ldb))) (local.get $ldb)
              (local.get $c) (local.get $ldc)
              (local.get $row0) (local.get $rowEnd) (local.get $n) (local.get $kc) (local.get $k0) (local.get $scratch))
            (local.set $row0 (local.get $rowEnd))
            (br $rowBlocks)))
        (local.set $k0 (i32.add (local.get $k0) (local.get $kc)))
        (br $depth)))))
