package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestGroupedWritesNeverLeaveTheCacheStale: writes arriving together
// commit as groups on SQLite (sqlstore's group commit); each is answered
// once durable, and the compat lists read right after it always hold it,
// never a copy cached before it.
func TestGroupedWritesNeverLeaveTheCacheStale(t *testing.T) {
	e := newEnv(t)
	products := "/get_product/all/0/" + e.a
	var wg sync.WaitGroup
	failures := make(chan string, 32)
	for i := range 32 {
		wg.Go(func() {
			name := fmt.Sprint("groupe ", i)
			w := e.do(t, post("/add_product/"+e.a, addBody(map[string]any{"product_name": name, "freezer_id": e.frigo2.Num, "box_num": 1 + i%8, "prod_num": 10 + i})))
			if w.Code != http.StatusOK {
				failures <- fmt.Sprintf("add %q = %d %s", name, w.Code, w.Body)
				return
			}
			if list := e.do(t, get(products)); !strings.Contains(list.Body.String(), `"`+name+`"`) {
				failures <- fmt.Sprintf("the list read after %q was acknowledged misses it", name)
			}
		})
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
}
