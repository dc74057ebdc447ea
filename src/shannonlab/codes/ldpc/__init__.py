"""LDPC codes: parity-check matrices (802.11n, alist, random regular, PEG), systematic and
dual-diagonal encoders, and batched belief-propagation decoders (sum-product, min-sum,
normalized and offset min-sum; flooding and layered schedules)."""
