package armtemplate

import (
	"crypto/sha1"
	"encoding/hex"
	"math/bits"
	"strings"
)

// UniqueString returns what the ARM template function uniqueString(parts...)
// returns: the parts joined with "-", hashed with the 64-bit MurmurHash
// variant of Azure's template engine, as 13 lower-case base-32 characters.
// Like Azure's, the hash is case-sensitive.
func UniqueString(parts ...string) string {
	h := murmur64([]byte(strings.Join(parts, "-")))
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	var out [13]byte
	for i := range out {
		out[i] = alphabet[h>>59]
		h <<= 5
	}
	return string(out[:])
}

// murmur64 is the 64-bit MurmurHash variant Azure's template engine uses
// for uniqueString (two 32-bit lanes over 8-byte blocks, seed 0).
func murmur64(data []byte) uint64 {
	const (
		c1 = 597399067  // 0x239b961b
		c2 = 2869860233 // 0xab0e9789
		c3 = 2246822507 // 0x85ebca6b
		c4 = 3266489909 // 0xc2b2ae35
	)
	le32 := func(b []byte) uint32 {
		var v uint32
		for i := len(b) - 1; i >= 0; i-- {
			v = v<<8 | uint32(b[i])
		}
		return v
	}
	var h1, h2 uint32
	n := len(data)
	i := 0
	for ; i+8 <= n; i += 8 {
		k1 := le32(data[i : i+4])
		k2 := le32(data[i+4 : i+8])
		k1 *= c1
		k1 = bits.RotateLeft32(k1, 15)
		k1 *= c2
		h1 ^= k1
		h1 = bits.RotateLeft32(h1, 19)
		h1 += h2
		h1 = h1*5 + 1444728091
		k2 *= c2
		k2 = bits.RotateLeft32(k2, 17)
		k2 *= c1
		h2 ^= k2
		h2 = bits.RotateLeft32(h2, 13)
		h2 += h1
		h2 = h2*5 + 197830471
	}
	if tail := n - i; tail > 0 {
		k1 := le32(data[i : i+min(tail, 4)])
		k1 *= c1
		k1 = bits.RotateLeft32(k1, 15)
		k1 *= c2
		h1 ^= k1
		if tail > 4 {
			k2 := le32(data[i+4 : n])
			k2 *= c2
			k2 = bits.RotateLeft32(k2, 17)
			k2 *= c1
			h2 ^= k2
		}
	}
	h1 ^= uint32(n)
	h2 ^= uint32(n)
	h1 += h2
	h2 += h1
	fmix := func(h uint32) uint32 {
		h ^= h >> 16
		h *= c3
		h ^= h >> 13
		h *= c4
		h ^= h >> 16
		return h
	}
	h1 = fmix(h1)
	h2 = fmix(h2)
	h1 += h2
	h2 += h1
	return uint64(h2)<<32 | uint64(h1)
}

// armNamespace is the namespace of the name-based UUIDs guid() makes:
// 11fb06fb-712d-4ddd-98c7-e71bbd588830.
var armNamespace = [16]byte{0x11, 0xfb, 0x06, 0xfb, 0x71, 0x2d, 0x4d, 0xdd, 0x98, 0xc7, 0xe7, 0x1b, 0xbd, 0x58, 0x88, 0x30}

// GUID returns what the ARM template function guid(parts...) returns: the
// version-5 (SHA-1, name-based) UUID of the parts joined with "-" in ARM's
// namespace 11fb06fb-712d-4ddd-98c7-e71bbd588830.
func GUID(parts ...string) string {
	h := sha1.New()
	h.Write(armNamespace[:])
	h.Write([]byte(strings.Join(parts, "-")))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	x := hex.EncodeToString(u[:])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}
