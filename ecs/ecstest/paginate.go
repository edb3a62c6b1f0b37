package ecstest

import (
	"encoding/base64"
	"sort"
	"strings"
)

// maxPageSize is the most results a list operation returns at once, and
// what it returns when maxResults is not given.
const maxPageSize = 100

// pageRequest is where a page of a list operation starts and how long it
// may be.
type pageRequest struct {
	op    string
	size  int
	after string // the key of the last result of the previous page; "" for the first
}

// readPage reads the maxResults and nextToken of a request to op. A token
// is the key of the last result delivered, so a page starts after it even
// when the list changed in between, as the API's tokens do.
func readPage(op string, maxResults *int, nextToken string) (pageRequest, error) {
	p := pageRequest{op: op, size: maxPageSize}
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > maxPageSize {
			return p, invalidParameter("maxResults must be from 1 to %d, not %d.", maxPageSize, *maxResults)
		}
		p.size = *maxResults
	}
	if nextToken == "" {
		return p, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(nextToken)
	tokenOp, after, ok := strings.Cut(string(raw), "\x00")
	if err != nil || !ok || tokenOp != op || after == "" {
		return p, invalidParameter("The nextToken is not one that %s returned.", op)
	}
	p.after = after
	return p, nil
}

// page returns the page of items that p asks for, and the token of the
// next page ("" after the last). Items must be in order of key, descending
// when desc, and keys must be unique and not "".
func page[T any](p pageRequest, items []T, key func(T) string, desc bool) ([]T, string) {
	start := 0
	if p.after != "" {
		start = sort.Search(len(items), func(i int) bool {
			k := key(items[i])
			if desc {
				return k < p.after
			}
			return k > p.after
		})
	}
	end := min(start+p.size, len(items))
	out := items[start:end]
	if end == len(items) {
		return out, ""
	}
	token := base64.RawURLEncoding.EncodeToString([]byte(p.op + "\x00" + key(items[end-1])))
	return out, token
}

// pageInOrder is page for items whose order is not that of their keys:
// the page starts after the item whose key the token names.
func pageInOrder[T any](p pageRequest, items []T, key func(T) string) ([]T, string) {
	start := 0
	if p.after != "" {
		for i := range items {
			if key(items[i]) == p.after {
				start = i + 1
				break
			}
		}
	}
	end := min(start+p.size, len(items))
	if end == len(items) {
		return items[start:end], ""
	}
	token := base64.RawURLEncoding.EncodeToString([]byte(p.op + "\x00" + key(items[end-1])))
	return items[start:end], token
}
