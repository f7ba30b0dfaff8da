package servicetags

import (
	"cmp"
	"errors"
	"iter"
	"net/netip"
	"slices"
	"strings"

	"github.com/gaissmai/bart"
	"github.com/vnetpath/vnetpath/cidr"
)

// Tag is one entry of a service-tag catalog: a global tag such as
// "Storage" or a regional one such as "Storage.EastUS" (reference §4.1).
// The zero value is not a tag. A Tag returned by a [Catalog] is the
// caller's copy.
type Tag struct {
	// Name as the catalog spells it: "AzureActiveDirectory",
	// "Storage.EastUS", "AzureCloud.centralus".
	Name string `json:"name"`
	// Region is the catalog's lower-case region ("eastus", and sometimes
	// an abbreviation such as "brazilse"), or "" for a global tag. When the
	// input has no region field it is taken from the name (see [Region]).
	Region string `json:"region"`
	// SystemService is the owning service ("AzureStorage", "AzureAD"); it
	// is empty for some tags, such as AzureCloud.
	SystemService string `json:"systemService"`
	// ChangeNumber is the entry's own version.
	ChangeNumber int64 `json:"changeNumber"`
	// Features lists where the tag may be used, as the entry gives it; an
	// entry with networkFeatures null has none (see [Catalog.CheckUse] for
	// how such entries are treated).
	Features Feature `json:"features"`
	// Prefixes are the tag's IPv4 and IPv6 prefixes in input order.
	Prefixes []netip.Prefix `json:"prefixes"`
}

// IsRegional reports whether t is a regional entry.
func (t Tag) IsRegional() bool { return t.Region != "" }

// Match is a tag whose prefixes contain an address or a prefix, with the
// tag's prefix that contains it. The zero value matches nothing.
type Match struct {
	Tag    string       // the tag's name as the catalog spells it
	Prefix netip.Prefix // the tag's most specific prefix that contains the query
}

// Catalog is a parsed service-tag catalog with an index from addresses to
// the tags that contain them. It is immutable and safe for concurrent use.
// A nil or zero Catalog is empty: lookups find nothing and every tag is
// unknown. Build one with [Parse] or [ParseFile].
type Catalog struct {
	cloud    string
	change   int64
	recs     []tagRec         // sorted by name, case-insensitively
	names    []string         // recs[i].Name, for the lookup path
	byName   map[string]int   // lower-cased name → index in recs
	regional map[string][]int // lower-cased base name → regional entries, by name
	warnings []string
	index    bart.Table[node] // distinct prefix → the tags containing it
	spills   []spill          // nodes whose lists do not fit in a payload
	overflow []entry          // the spilled nodes' own tags
}

// tagRec is a Tag with what the catalog derives from it.
type tagRec struct {
	Tag
	index     int  // position in the input's "values"
	hasRegion bool // the input gave properties.region
	listed    bool // the input gave properties.networkFeatures as an array
	parent    int  // the entry named as this one without its last ".suffix", or -1
}

// build freezes the parsed records into a Catalog and indexes them.
func (p *parser) build() *Catalog {
	c := &Catalog{cloud: p.cloud, change: p.change, recs: p.recs, warnings: p.warnings}
	slices.SortFunc(c.recs, func(a, b tagRec) int { return compareNames(a.Name, b.Name) })
	c.names = make([]string, len(c.recs))
	c.byName = make(map[string]int, len(c.recs))
	c.regional = map[string][]int{}
	for i := range c.recs {
		r := &c.recs[i]
		c.names[i] = r.Name
		c.byName[lowerASCII(r.Name)] = i
		if r.Region != "" {
			b, _ := Region(r.Name)
			b = lowerASCII(b)
			c.regional[b] = append(c.regional[b], i)
		}
	}
	for i := range c.recs {
		r := &c.recs[i]
		r.parent = -1
		if dot := strings.LastIndexByte(r.Name, '.'); dot > 0 {
			if j, ok := c.byName[lowerASCII(r.Name[:dot])]; ok {
				r.parent = j
			}
		}
	}
	c.buildIndex()
	return c
}

// compareNames orders tag names ignoring ASCII case, then by bytes.
func compareNames(a, b string) int {
	if c := compareFold(a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// compareFold compares a and b as lowerASCII would lower them.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := lowerByte(a[i]), lowerByte(b[i])
		if x != y {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(len(a), len(b))
}

func lowerByte(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// lowerASCII lowers the ASCII letters of s: tag names compare
// case-insensitively in ASCII, which is all Azure uses.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return string(appendLower(nil, s))
		}
	}
	return s
}

// Cloud returns the catalog's cloud: "Public", "AzureGovernment",
// "China", or "" when the input does not say.
func (c *Catalog) Cloud() string {
	if c == nil {
		return ""
	}
	return c.cloud
}

// ChangeNumber returns the catalog's version, which increases whenever any
// entry changes.
func (c *Catalog) ChangeNumber() int64 {
	if c == nil {
		return 0
	}
	return c.change
}

// Len returns the number of entries (global and regional tags).
func (c *Catalog) Len() int {
	if c == nil {
		return 0
	}
	return len(c.recs)
}

// Warnings returns the problems a lenient parse skipped, and unknown
// network features, in input order. The slice is the caller's.
func (c *Catalog) Warnings() []string {
	if c == nil {
		return nil
	}
	return slices.Clone(c.warnings)
}

// Tag returns the entry named name, matched case-insensitively
// ("Storage.eastus" finds "Storage.EastUS"). A regional name may also use
// the catalog's region field ("Storage.brazilse" finds
// "Storage.BrazilSoutheast"). It does not resolve a global name from its
// regions: see [Catalog.Expand]. The Tag is a copy.
func (c *Catalog) Tag(name string) (Tag, bool) {
	i, ok := c.find(name)
	if !ok {
		return Tag{}, false
	}
	t := c.recs[i].Tag
	t.Prefixes = slices.Clone(t.Prefixes)
	return t, true
}

func (c *Catalog) find(name string) (int, bool) {
	if c == nil {
		return 0, false
	}
	var buf [64]byte
	key := appendLower(buf[:0], name)
	if i, ok := c.byName[string(key)]; ok {
		return i, true
	}
	if base, region := Region(string(key)); region != "" {
		for _, i := range c.regional[base] {
			if c.recs[i].Region == region {
				return i, true
			}
		}
	}
	return 0, false
}

// appendLower appends s as lowerASCII returns it.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		dst = append(dst, lowerByte(s[i]))
	}
	return dst
}

// All returns the catalog's entries sorted by name (case-insensitively),
// each a copy. Breaking out of the loop stops early:
//
//	for t := range c.All() {
//		fmt.Println(t.Name, len(t.Prefixes))
//	}
func (c *Catalog) All() iter.Seq[Tag] {
	return func(yield func(Tag) bool) {
		if c == nil {
			return
		}
		for _, r := range c.recs {
			t := r.Tag
			t.Prefixes = slices.Clone(t.Prefixes)
			if !yield(t) {
				return
			}
		}
	}
}

// Errors that [TagError] and [UseError] wrap, for errors.Is.
var (
	// ErrUnknownTag: the catalog has no such tag, globally or by region.
	ErrUnknownTag = errors.New("unknown service tag")
	// ErrVirtualTag: VirtualNetwork, Internet and AzureLoadBalancer are
	// computed per subnet and never come from a catalog (reference §3.7).
	ErrVirtualTag = errors.New("contextual tag: its addresses depend on the subnet and never come from the catalog")
	// ErrPlatformTag: AzurePlatformDNS, AzurePlatformIMDS and
	// AzurePlatformLKM are not published in service-tag files (reference
	// §3.6).
	ErrPlatformTag = errors.New("platform tag: not published in service-tag files")
)

// TagError reports a tag name that a catalog cannot resolve. Err is
// [ErrUnknownTag], [ErrVirtualTag] or [ErrPlatformTag].
type TagError struct {
	Op   string // the operation, e.g. "servicetags.Expand"
	Name string // the name as given
	Err  error
}

// Error returns the name, quoted, and what is wrong with it:
// "\"Sql\": unknown service tag".
func (e *TagError) Error() string { return quote(e.Name) + ": " + e.Err.Error() }

func (e *TagError) Unwrap() error { return e.Err }

// Expand returns the addresses of the tag named name (case-insensitive),
// resolved as [Catalog.Resolve] resolves it. A virtual tag (see
// [IsVirtual]) or a platform tag (see [IsPlatform]) is an error, as is an
// unknown name: a *[TagError] quoting the name and wrapping
// [ErrVirtualTag], [ErrPlatformTag] or [ErrUnknownTag].
func (c *Catalog) Expand(name string) (cidr.Set, error) {
	i, rs, err := c.resolve("servicetags.Expand", name)
	switch {
	case err != nil:
		return cidr.Set{}, err
	case rs == nil:
		return cidr.SetOf(c.recs[i].Prefixes...), nil
	}
	return c.union(rs), nil
}

// Resolve returns the tag named name (case-insensitive), resolving regions
// as Azure does (reference §4.1, §4.3):
//
//   - a name the catalog lists, global or regional ("Storage",
//     "Storage.CentralUS", "AzureCloud.centralus"), gives that entry alone,
//     as [Catalog.Tag] does;
//   - a regional name may use the region field ("Storage.brazilse");
//   - a global name the catalog does not list but whose regional entries
//     it lists gives a tag made of those regions: their prefixes merged
//     into the fewest prefixes covering the same addresses, the features
//     they all list, their system service when they agree, change
//     number 0.
//
// Errors are as for [Catalog.Expand]. The Tag is the caller's.
func (c *Catalog) Resolve(name string) (Tag, error) {
	i, rs, err := c.resolve("servicetags.Resolve", name)
	switch {
	case err != nil:
		return Tag{}, err
	case rs == nil:
		t := c.recs[i].Tag
		t.Prefixes = slices.Clone(t.Prefixes)
		return t, nil
	}
	first := &c.recs[rs[0]]
	base, _ := Region(first.Name)
	t := Tag{Name: base, SystemService: first.SystemService, Features: featureAll}
	for _, i := range rs {
		r := &c.recs[i]
		if r.SystemService != t.SystemService {
			t.SystemService = ""
		}
		t.Features &= r.Features
	}
	t.Prefixes = c.union(rs).Prefixes()
	return t, nil
}

// resolve finds the entry named name, or else the regional entries that
// make it up (non-nil), or returns a *TagError for op.
func (c *Catalog) resolve(op, name string) (int, []int, error) {
	switch {
	case IsVirtual(name):
		return 0, nil, &TagError{op, name, ErrVirtualTag}
	case IsPlatform(name):
		return 0, nil, &TagError{op, name, ErrPlatformTag}
	}
	if i, ok := c.find(name); ok {
		return i, nil, nil
	}
	if rs := c.regions(name); len(rs) > 0 {
		return 0, rs, nil
	}
	return 0, nil, &TagError{op, name, ErrUnknownTag}
}

// union returns the addresses of the entries rs.
func (c *Catalog) union(rs []int) cidr.Set {
	var b cidr.Builder
	for _, i := range rs {
		for _, p := range c.recs[i].Prefixes {
			b.AddPrefix(p)
		}
	}
	return b.Set()
}

// regions returns the regional entries of a global name the catalog does
// not list itself.
func (c *Catalog) regions(name string) []int {
	if c == nil || strings.Contains(name, ".") {
		return nil
	}
	return c.regional[lowerASCII(name)]
}

// UseError reports a tag used where Azure does not accept it: a tag
// without UDR in a route table, without FW in an Azure Firewall rule,
// without NSG in an NSG rule (reference §4.1, §4.3). Callers surface it as
// a warning.
type UseError struct {
	Tag      string  // the name as given
	Use      Feature // the use asked about
	Have     Feature // the features the catalog lists for the tag
	Unknown  bool    // the catalog has no such tag (Unwrap gives ErrUnknownTag)
	Unlisted bool    // the catalog lists no network features for the tag
}

func (e *UseError) Error() string {
	s := "service tag " + quote(e.Tag) + ": "
	switch {
	case e.Unknown:
		return s + ErrUnknownTag.Error()
	case e.Unlisted:
		return s + "the catalog lists no network features for the tag, so it may not be usable in " + useName(e.Use)
	case e.Have == 0:
		return s + "the tag cannot be used in " + useName(e.Use) + " (the catalog lists no use)"
	}
	return s + "the tag cannot be used in " + useName(e.Use) + " (the catalog lists " + e.Have.String() + ")"
}

func (e *UseError) Unwrap() error {
	if e.Unknown {
		return ErrUnknownTag
	}
	return nil
}

func useName(f Feature) string {
	var parts []string
	for _, u := range [...]struct {
		f    Feature
		name string
	}{
		{FeatureAPI, "the Discovery API"},
		{FeatureNSG, "an NSG rule"},
		{FeatureUDR, "a route table"},
		{FeatureFW, "an Azure Firewall rule"},
		{FeatureVSE, "a service endpoint"},
	} {
		if f&u.f != 0 {
			parts = append(parts, u.name)
		}
	}
	return strings.Join(parts, " or ")
}

// CheckUse returns nil when the tag named name may be used for every use in
// where (for example FeatureUDR for a route's address prefix), and a
// *[UseError] naming the tag and the use otherwise, also for an unknown
// tag. where == 0 asks nothing and gives nil.
//
// The features come from the entry's networkFeatures (reference §4.1). An
// entry whose networkFeatures is null and whose name has a base entry
// ("AzureMachineLearning.EastUS" → "AzureMachineLearning") takes the base
// entry's features: the files publish features for most regional entries
// only through their base. A global name resolved from its regions (see
// [Catalog.Expand]) has the features all its regions share. An entry with
// no features either way gives a UseError with Unlisted set.
//
// Virtual and platform tags are usable in NSG rules only (reference §4.3).
func (c *Catalog) CheckUse(name string, where Feature) error {
	if where == 0 {
		return nil
	}
	have, listed := FeatureNSG, true
	i, rs, err := c.resolve("", name)
	switch {
	case errors.Is(err, ErrUnknownTag):
		return &UseError{Tag: name, Use: where, Unknown: true}
	case err != nil: // a virtual or platform tag
	case rs == nil:
		have, listed = c.features(i)
	default:
		have = featureAll
		for _, i := range rs {
			f, l := c.features(i)
			have &= f
			listed = listed && l
		}
	}
	if !listed {
		return &UseError{Tag: name, Use: where, Unlisted: true}
	}
	if !have.Has(where) {
		return &UseError{Tag: name, Use: where, Have: have}
	}
	return nil
}

// features returns an entry's features, inherited from its base entry when
// it lists none, and whether either lists any.
func (c *Catalog) features(i int) (Feature, bool) {
	r := &c.recs[i]
	if r.listed {
		return r.Features, true
	}
	if r.parent >= 0 && c.recs[r.parent].listed {
		return c.recs[r.parent].Features, true
	}
	return 0, false
}

// Region splits a tag name into its base and region: "Storage.EastUS"
// gives ("Storage", "EastUS") and "AzureCloud.centralus" gives
// ("AzureCloud", "centralus"). A name without a region gives (name, ""),
// and so do dotted names whose suffix is a sub-service rather than a
// region: "AzureFrontDoor.Frontend", "AzureFrontDoor.Backend",
// "AzureFrontDoor.FirstParty", "AzureFrontDoor.MicrosoftSecurity",
// "AzureActiveDirectory.ServiceEndpoint", "AzureMonitor.Core". Region
// works on the name alone; a catalog's [Tag.Region] is authoritative.
func Region(name string) (base, region string) {
	dot := strings.LastIndexByte(name, '.')
	if dot <= 0 || dot == len(name)-1 {
		return name, ""
	}
	suffix := name[dot+1:]
	for _, q := range subServices {
		if strings.EqualFold(suffix, q) {
			return name, ""
		}
	}
	return name[:dot], suffix
}

// subServices are the name suffixes of the published files that are not
// regions.
var subServices = [...]string{"Frontend", "Backend", "FirstParty", "MicrosoftSecurity", "ServiceEndpoint", "Core", "AzureAppServiceUx"}
