package servicetags_test

import (
	"encoding/json"
	"testing"

	"github.com/vnetpath/vnetpath/servicetags"
)

func TestFeature(t *testing.T) {
	all := servicetags.FeatureAPI | servicetags.FeatureNSG | servicetags.FeatureUDR | servicetags.FeatureFW | servicetags.FeatureVSE
	tests := []struct {
		f    servicetags.Feature
		str  string
		json string
	}{
		{0, "", "[]"},
		{servicetags.FeatureNSG, "NSG", `["NSG"]`},
		{servicetags.FeatureFW | servicetags.FeatureAPI, "API,FW", `["API","FW"]`},
		{all &^ servicetags.FeatureVSE, "API,NSG,UDR,FW", `["API","NSG","UDR","FW"]`},
		{all, "API,NSG,UDR,FW,VSE", `["API","NSG","UDR","FW","VSE"]`},
	}
	for _, tc := range tests {
		if got := tc.f.String(); got != tc.str {
			t.Errorf("String(%d) = %q, want %q", tc.f, got, tc.str)
		}
		b, err := json.Marshal(tc.f)
		if err != nil || string(b) != tc.json {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tc.f, b, err, tc.json)
		}
		var back servicetags.Feature
		if err := json.Unmarshal(b, &back); err != nil || back != tc.f {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", b, back, err, tc.f)
		}
	}
	var f servicetags.Feature
	if err := json.Unmarshal([]byte(`["NSG","Warp"]`), &f); err == nil || err.Error() != `unknown network feature "Warp"` {
		t.Errorf("Unmarshal unknown feature: %v", err)
	}
	if err := json.Unmarshal([]byte(`null`), &f); err != nil || f != 0 {
		t.Errorf("Unmarshal(null) = %v, %v", f, err)
	}
	for _, tc := range []struct {
		in string
		f  servicetags.Feature
		ok bool
	}{{"UDR", servicetags.FeatureUDR, true}, {"udr", servicetags.FeatureUDR, true}, {"vse", servicetags.FeatureVSE, true}, {"", 0, false}, {"FWX", 0, false}} {
		if f, ok := servicetags.ParseFeature(tc.in); f != tc.f || ok != tc.ok {
			t.Errorf("ParseFeature(%q) = %v, %v", tc.in, f, ok)
		}
	}
	if !all.Has(servicetags.FeatureUDR|servicetags.FeatureFW) || servicetags.FeatureNSG.Has(servicetags.FeatureNSG|servicetags.FeatureUDR) {
		t.Error("Has is wrong")
	}
}
