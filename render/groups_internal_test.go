package render

import "testing"

// TestNumberRuns checks the compact lists of a group's sources: numbered
// names of one stem and width in runs, others alone, cut with "…".
func TestNumberRuns(t *testing.T) {
	for _, tc := range []struct {
		names []string
		width int
		want  string
	}{
		{[]string{"vnet-2", "vnet-1", "vnet-3", "vnet-5"}, 100, "vnet-1..3, vnet-5"},
		{[]string{"spoke-0009", "spoke-0010", "spoke-010", "hub"}, 100, "hub, spoke-010, spoke-0009, spoke-0010"},
		{[]string{"a1", "a2", "b"}, 100, "a1, a2, b"},
		{[]string{"x-1", "x-3", "x-5", "x-7"}, 8, "x-1, x-3, …"},
		{[]string{"v99999999999", "v99999999998"}, 100, "v99999999998, v99999999999"},
	} {
		if got := numberRuns(tc.names, tc.width); got != tc.want {
			t.Errorf("numberRuns(%q) = %q, want %q", tc.names, got, tc.want)
		}
	}
}

// TestColRanges checks the endpoint numbers of a group.
func TestColRanges(t *testing.T) {
	for _, tc := range []struct {
		cols []int
		want string
	}{
		{[]int{1}, "#1"},
		{[]int{1, 2}, "#1, #2"},
		{[]int{1, 2, 3, 7, 9, 10}, "#1–#3, #7, #9, #10"},
	} {
		if got := colRanges(tc.cols); got != tc.want {
			t.Errorf("colRanges(%v) = %q, want %q", tc.cols, got, tc.want)
		}
	}
}

// TestSourceFree checks what a group's answers may differ in: the source's
// ID, short name and prefix, also in the form of a rule name.
func TestSourceFree(t *testing.T) {
	const id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
	got := sourceFree("allow 10.0.1.0/24 as vnetpath-allow-from-10.0.1.0_24 for v/s ("+id+"); not 10.0.10.0/24", id, "v/s", "10.0.1.0/24")
	want := "allow " + phPrefix + " as vnetpath-allow-from-" + phPrefix + " for " + phName + " (" + phID + "); not 10.0.10.0/24"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
