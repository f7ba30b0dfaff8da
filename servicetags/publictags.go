package servicetags

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"

	"github.com/vnetpath/vnetpath/internal/suggest"
)

//go:generate go run gen_publictags.go -o publictags.txt ../../shared/testdata/servicetags/ServiceTags_Public_20251028.json

// publicTagsText lists the names and regions of the public cloud's service
// tags (see its header for the format).
//
//go:embed publictags.txt
var publicTagsText string

// publicNames is a catalog of the public cloud's tag names and regions,
// without prefixes, read from publicTagsText on first use.
var publicNames = sync.OnceValue(func() *Catalog { return parseNameList(publicTagsText) })

// parseNameList reads the format gen_publictags.go writes. Lines it does
// not understand are skipped: the text is generated and embedded, and a
// test checks it against the download file it came from.
func parseNameList(text string) *Catalog {
	p := &parser{}
	regionOf := map[string]string{}
	for line := range strings.Lines(text) {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case f[0] == "#":
			if len(f) >= 5 && f[1] == "cloud" && f[3] == "change" {
				p.cloud = strings.TrimSuffix(f[2], ",")
				p.change, _ = strconv.ParseInt(strings.TrimSuffix(f[4], ","), 10, 64)
			}
		case f[0] == "region" && len(f) == 3:
			regionOf[f[1]] = f[2]
		default:
			for _, s := range f[1:] {
				r := tagRec{index: len(p.recs), parent: -1}
				if s == "." {
					r.Name = f[0]
				} else {
					r.Name = f[0] + "." + s
					r.Region = regionOf[s]
					r.hasRegion = r.Region != ""
				}
				p.recs = append(p.recs, r)
			}
		}
	}
	return p.build()
}

// KnownPublicTag reports whether name is a service tag of Azure's public
// cloud, as [Catalog.Resolve] would resolve it in the public download
// file (case-insensitively; a regional name may use the region field, as
// in "Storage.westeurope"), or one of the virtual and platform tags
// ([IsVirtual], [IsPlatform]). The names come from the public file the
// package was generated from (go generate); use a [Catalog] for other
// clouds and for tags newer than that file.
func KnownPublicTag(name string) bool {
	if IsVirtual(name) || IsPlatform(name) {
		return true
	}
	_, _, err := publicNames().resolve("", name)
	return err == nil
}

// ClosestTags returns up to n names of the public cloud's service tags
// (those [KnownPublicTag] knows, less the virtual and platform ones),
// closest to name first, for "did you mean" messages. Names compare
// case-insensitively by edit distance.
func ClosestTags(name string, n int) []string {
	return publicNames().ClosestTags(name, n)
}

// ClosestTags returns up to n of the catalog's tag names, closest to name
// first, for "did you mean" messages. Names compare case-insensitively by
// edit distance. A nil catalog has none.
func (c *Catalog) ClosestTags(name string, n int) []string {
	if c == nil {
		return nil
	}
	return suggest.Closest(name, c.names, n)
}
