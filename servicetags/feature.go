package servicetags

import (
	"encoding/json"
	"strings"
)

// Feature is a set of the places where a service tag may be used, as the
// catalog's networkFeatures field lists them (reference §4.1). The zero
// value is the empty set. Feature values are plain integers: compare them
// with == and combine them with |.
type Feature uint8

// The network features, in the order [Feature.String] lists them.
const (
	FeatureAPI Feature = 1 << iota // listed by the Service Tag Discovery API
	FeatureNSG                     // usable in network security group rules
	FeatureUDR                     // usable as a route's address prefix in a route table
	FeatureFW                      // usable in Azure Firewall rules
	FeatureVSE                     // usable with virtual network service endpoints

	featureAll = FeatureAPI | FeatureNSG | FeatureUDR | FeatureFW | FeatureVSE
)

var featureNames = [...]struct {
	f    Feature
	name string
}{
	{FeatureAPI, "API"},
	{FeatureNSG, "NSG"},
	{FeatureUDR, "UDR"},
	{FeatureFW, "FW"},
	{FeatureVSE, "VSE"},
}

// ParseFeature returns the feature named s ("API", "NSG", "UDR", "FW" or
// "VSE", case-insensitive) and whether s names one.
func ParseFeature(s string) (Feature, bool) {
	for _, n := range featureNames {
		if strings.EqualFold(s, n.name) {
			return n.f, true
		}
	}
	return 0, false
}

// Has reports whether f holds every feature of g.
func (f Feature) Has(g Feature) bool { return f&g == g }

// String lists the features of f separated by commas, in the order API,
// NSG, UDR, FW, VSE: "API,NSG,UDR,FW". The empty set is "".
func (f Feature) String() string {
	var sb strings.Builder
	for _, n := range featureNames {
		if f&n.f != 0 {
			if sb.Len() > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(n.name)
		}
	}
	return sb.String()
}

// Names returns the names of the features of f, in [Feature.String] order.
func (f Feature) Names() []string {
	out := []string{}
	for _, n := range featureNames {
		if f&n.f != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

// MarshalJSON encodes f as an array of names, as the catalog writes it:
// ["API","NSG"]. The empty set is [].
func (f Feature) MarshalJSON() ([]byte, error) {
	return json.Marshal(f.Names())
}

// UnmarshalJSON decodes an array of names or null. An unknown name is an
// error quoting it.
func (f *Feature) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return err
	}
	var v Feature
	for _, n := range names {
		g, ok := ParseFeature(n)
		if !ok {
			return &featureError{n}
		}
		v |= g
	}
	*f = v
	return nil
}

type featureError struct{ name string }

func (e *featureError) Error() string {
	return "unknown network feature " + quote(e.name)
}
