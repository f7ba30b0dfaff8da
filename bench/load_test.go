package bench

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/bench/estategen"
)

// estate is one generated estate: its files as a file system, and the same
// bytes in file-name order.
type estate struct {
	fsys  fstest.MapFS
	files [][]byte
	bytes int64
}

var (
	estatesMu sync.Mutex
	estates   = map[int]*estate{}
)

// generated returns the estate with the given number of spokes, generating
// it once.
func generated(spokes int) *estate {
	estatesMu.Lock()
	defer estatesMu.Unlock()
	if e, ok := estates[spokes]; ok {
		return e
	}
	g, err := estategen.GenerateWith(estateOptions(spokes))
	if err != nil {
		panic(fmt.Sprintf("-estate-workspaces %d: %v", *estateWorkspaces, err))
	}
	m := g.Files()
	e := &estate{fsys: fstest.MapFS{}}
	for _, n := range slices.Sorted(maps.Keys(m)) {
		e.fsys[n] = &fstest.MapFile{Data: m[n]}
		e.files = append(e.files, m[n])
		e.bytes += int64(len(m[n]))
	}
	estates[spokes] = e
	return e
}

// fixedIterations returns N when the benchmarks run with -benchtime Nx.
func fixedIterations() (int, bool) {
	f := flag.Lookup("test.benchtime")
	if f == nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSuffix(f.Value.String(), "x"))
	return n, err == nil && strings.HasSuffix(f.Value.String(), "x")
}

// skipLarge skips the 1,000-spoke estate under -short, and when a fixed
// count of more than 20 iterations is asked for (CI runs every benchmark
// with -benchtime 100x to see that it still works; 100 loads of 28 MB would
// take a minute there). Measure it with a duration or a small count.
func skipLarge(b *testing.B, spokes int) {
	if spokes <= 100 {
		return
	}
	if testing.Short() {
		b.Skip("the 1,000-spoke estate is skipped in -short mode")
	}
	if n, ok := fixedIterations(); ok && n > 20 {
		b.Skipf("the 1,000-spoke estate is skipped at -benchtime %dx; measure it with -benchtime 10x or a duration", n)
	}
}

// unmarshalFile decodes a snapshot file with encoding/json: an array of
// resources into []map[string]any, an ARM list ({"value": [...]}, as
// workspaces.json is) into map[string]any.
func unmarshalFile(f []byte) error {
	if t := bytes.TrimLeft(f, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		var v map[string]any
		return json.Unmarshal(f, &v)
	}
	var v []map[string]any
	return json.Unmarshal(f, &v)
}

// BenchmarkLoad compares loading a generated hub-and-spoke estate from
// memory with azure.LoadFS (decode, convert, validate, build the snapshot)
// against decoding the same bytes with encoding/json into []map[string]any,
// which does no more than parse. Sizes: 100 and 1,000 spokes (see
// skipLarge).
func BenchmarkLoad(b *testing.B) {
	for _, spokes := range []int{100, 1000} {
		b.Run(fmt.Sprintf("spokes=%d/encoding_json", spokes), func(b *testing.B) {
			skipLarge(b, spokes)
			e := generated(spokes)
			b.SetBytes(e.bytes)
			b.ReportAllocs()
			for b.Loop() {
				for _, f := range e.files {
					if err := unmarshalFile(f); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run(fmt.Sprintf("spokes=%d/vnetpath", spokes), func(b *testing.B) {
			skipLarge(b, spokes)
			e := generated(spokes)
			b.SetBytes(e.bytes)
			b.ReportAllocs()
			for b.Loop() {
				res, err := azure.LoadFS(e.fsys, azure.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Warnings) != 0 {
					b.Fatal(res.Warnings[0])
				}
			}
		})
	}
}
