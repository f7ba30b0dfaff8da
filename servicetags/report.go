package servicetags

import "net/netip"

// LookupReport is the answer to "which service tags contain this address
// (or prefix)?", as `vnetpath tags lookup` prints it. Tags are in
// [Catalog.Lookup] order and never nil, so they encode as [] in JSON. The
// zero value is no answer.
type LookupReport struct {
	Address      string     `json:"address"` // the query: an address, or a prefix in CIDR form
	Tags         []TagMatch `json:"tags"`
	Cloud        string     `json:"cloud"`
	ChangeNumber int64      `json:"changeNumber"`
}

// TagMatch is a tag that contains the query, with its entry's region and
// system service and the tag's prefix that contains the query.
type TagMatch struct {
	Name          string       `json:"name"`
	Region        string       `json:"region"` // "" for a global tag
	SystemService string       `json:"systemService"`
	Prefix        netip.Prefix `json:"prefix"`
}

// LookupReport answers for q, a prefix; a single address is a /32 or /128
// prefix and reads as the bare address in the report. For a longer prefix
// it lists the tags that hold all of it ([Catalog.LookupPrefix]).
func (c *Catalog) LookupReport(q netip.Prefix) LookupReport {
	r := LookupReport{Tags: []TagMatch{}, Cloud: c.Cloud(), ChangeNumber: c.ChangeNumber()}
	v, q, ok := c.lookupPrefix(q)
	if q.IsValid() {
		r.Address = q.String()
		if q.IsSingleIP() {
			r.Address = q.Addr().String()
		}
	}
	if !ok {
		return r
	}
	for _, e := range c.appendEntries(nil, v) {
		t := &c.recs[e.tag]
		r.Tags = append(r.Tags, TagMatch{Name: t.Name, Region: t.Region, SystemService: t.SystemService, Prefix: netip.PrefixFrom(q.Addr(), int(e.bits)).Masked()})
	}
	return r
}
