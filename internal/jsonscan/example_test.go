package jsonscan_test

import (
	"fmt"

	"github.com/vnetpath/vnetpath/internal/jsonscan"
)

// Reading the members of an object one at a time: the caller decides what
// to do with each value, here reading "id" and skipping the rest.
func Example() {
	b := []byte(`{"name": "hub", "id": "/subscriptions/s/vnets/h\u0075b", "tags": {"env": "prod"}}`)
	next, done, err := jsonscan.ObjectOpen(b, 0, 10)
	for !done && err == nil {
		var key []byte
		if key, _, next, err = jsonscan.Key(b, next); err != nil {
			break
		}
		fmt.Printf("%s: %s\n", key, jsonscan.Kind(b[next]))
		if string(key) == "id" {
			end, escaped, _ := jsonscan.String(b, next)
			raw := b[next+1 : end-1]
			if escaped {
				raw = jsonscan.Unescape(nil, raw)
			}
			fmt.Printf("id is %s\n", raw)
		}
		if next, err = jsonscan.Skip(b, next, 9); err != nil {
			break
		}
		next, done, err = jsonscan.ObjectNext(b, next)
	}
	fmt.Println("end", next, "of", len(b), err)
	// Output:
	// name: a string
	// id: a string
	// id is /subscriptions/s/vnets/hub
	// tags: an object
	// end 81 of 81 <nil>
}

// An error names its offset and what was expected there.
func ExampleError() {
	b := []byte(`{"a": [1, 2 3]}`)
	_, err := jsonscan.Skip(b, 0, 10)
	fmt.Printf("at byte %d: %v\n", err.Off, err)
	_, err = jsonscan.Skip(b[:9], 0, 10)
	fmt.Printf("at byte %d: %v\n", err.Off, err)
	// Output:
	// at byte 12: expected ',' or ']' in array, found '3'
	// at byte 9: unexpected end of JSON input
}
