package servicetags

import (
	"encoding/json"
	"net/netip"
)

// The download file's shape, for MarshalJSON.
type (
	fileJSON struct {
		ChangeNumber int64       `json:"changeNumber"`
		Cloud        string      `json:"cloud"`
		Values       []valueJSON `json:"values"`
	}
	valueJSON struct {
		Name       string         `json:"name"`
		ID         string         `json:"id"`
		Properties propertiesJSON `json:"properties"`
	}
	propertiesJSON struct {
		ChangeNumber    int64          `json:"changeNumber"`
		Region          string         `json:"region"`
		SystemService   string         `json:"systemService"`
		AddressPrefixes []netip.Prefix `json:"addressPrefixes"`
		NetworkFeatures *Feature       `json:"networkFeatures"`
	}
)

// MarshalJSON writes c in the shape of the weekly download file, entries
// sorted as [Catalog.All] sorts them: [Parse] reads it back into an equal
// catalog. An entry whose input had networkFeatures null keeps null.
func (c *Catalog) MarshalJSON() ([]byte, error) {
	f := fileJSON{ChangeNumber: c.ChangeNumber(), Cloud: c.Cloud(), Values: make([]valueJSON, 0, c.Len())}
	if c != nil {
		for _, r := range c.recs {
			v := valueJSON{Name: r.Name, ID: r.Name, Properties: propertiesJSON{
				ChangeNumber: r.ChangeNumber, Region: r.Region, SystemService: r.SystemService,
				AddressPrefixes: r.Prefixes,
			}}
			if v.Properties.AddressPrefixes == nil {
				v.Properties.AddressPrefixes = []netip.Prefix{}
			}
			if r.listed {
				v.Properties.NetworkFeatures = &r.Features
			}
			f.Values = append(f.Values, v)
		}
	}
	return json.Marshal(f)
}
