package suggest_test

import (
	"fmt"

	"github.com/vnetpath/vnetpath/internal/suggest"
)

func ExampleLikely() {
	flags := []string{"snapshot", "service-tags", "from", "to", "port", "protocol"}
	if s, ok := suggest.Likely("snapshots", flags); ok {
		fmt.Printf("unknown flag --snapshots; did you mean --%s?\n", s)
	}
	_, ok := suggest.Likely("verbose", flags)
	fmt.Println(ok)
	// Output:
	// unknown flag --snapshots; did you mean --snapshot?
	// false
}

func ExampleClosest() {
	fmt.Println(suggest.Closest("AzureMonitr", []string{"AzureCloud", "AzureMonitor", "Sql", "Storage"}, 2))
	// Output: [AzureMonitor AzureCloud]
}
