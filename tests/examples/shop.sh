#!/usr/bin/env bash
# The shop as three kinds of process: product server, cart server, client.
#   shop.sh PRODUCT_SERVER CART_SERVER CLIENT EXPECTED_OUTPUT
# 1. The client's tour gives the expected output; its request ids and its
#    deadline reach the product service through the cart service.
# 2. Behind a slow product service, the client's deadline (1 s) and its
#    cancellation (after 0.5 s) end the product service's handler too.
# 3. With the product service down, the client gets UNAVAILABLE naming it.
# 4. The product service as three replicas behind an ipv4: round-robin
#    target (docs/scaling.md): the tour's six product calls reach all three.
#    A replica shutting down with a drain delay reports NOT_SERVING and the
#    cart server's health-aware channel sends it nothing more; with it
#    stopped every product call still succeeds.
source "$(dirname "$0")/lib.sh"
products=$1 carts=$2 client=$3 expected=$4

start products "$products" --port 0
products_port=$(port_of products)
start carts "$carts" --port 0 --products "127.0.0.1:$products_port"
carts_port=$(port_of carts)
run tour 0 "$client" --target "127.0.0.1:$carts_port"
diff -u "$expected" "$work/tour.log" || fail "client output differs from $expected"
wait_for products '^GetProduct\(apple\) request-id=r2 deadline=in (29\.[0-9]|30\.0) s$' 1
wait_for products '^TakeStock\(3 items\) request-id=r8 deadline=in (29\.[0-9]|30\.0) s$' 1

replicas=ipv4:
for r in 1 2 3; do
  start "replica$r" "$products" --port 0 --drain-delay 3000
  replicas+="127.0.0.$r:$(port_of "replica$r"),"
done
start rr_carts "$carts" --port 0 --products "${replicas%,}" --lb round_robin
rr_port=$(port_of rr_carts)
run rr_tour 0 "$client" --target "127.0.0.1:$rr_port"
diff -u "$expected" "$work/rr_tour.log" || fail "client output (three replicas) differs from $expected"
for r in 1 2 3; do
  wait_for "replica$r" '^(GetProduct|TakeStock)\(.*request-id=r[0-9]+ ' 5 1
done
product_calls() { grep -Ec '^(GetProduct|TakeStock)\(' "$work/$1.log" || true; }
before=$(product_calls replica2)
kill -TERM "${pid[replica2]}"
wait_for replica2 'NOT_SERVING for 3000 ms before draining' 5
sleep 0.2  # the NOT_SERVING on its way to the cart server's watch
rc=0; timeout 30 "$client" --target "127.0.0.1:$rr_port" >"$work/rr_tour_one_down.log" 2>"$work/rr_tour_one_down.err" || rc=$?
# Every product call succeeds on the two replicas left. Each replica keeps
# its own stock (a demo), so the checkout may land on the one that sold its
# figs in the first tour: that refusal is the only failure allowed.
grep -q '^  total 4.15$' "$work/rr_tour_one_down.log" || fail "the tour did not complete with one replica draining"
[[ $rc -eq 0 ]] || grep -Eq '^shop_client: FAILED_PRECONDITION: only 0 (Apple|Pear|Fig) left' "$work/rr_tour_one_down.err" ||
  fail "a call failed with one replica draining"
[[ $(product_calls replica2) -eq $before ]] || fail "a replica in its drain delay (NOT_SERVING) still got product calls"
timeout 15 tail --pid="${pid[replica2]}" -f /dev/null || fail "replica2 did not stop after SIGTERM"
rc=0; wait "${pid[replica2]}" || rc=$?
unset "pid[replica2]"
[[ $rc -eq 0 ]] || fail "replica2 exited with $rc after SIGTERM"
stop rr_carts; stop replica1; stop replica3

start slow_products "$products" --port 0 --slow
start slow_carts "$carts" --port 0 --products "127.0.0.1:$(port_of slow_products)"
slow_port=$(port_of slow_carts)
run deadline 1 "$client" --target "127.0.0.1:$slow_port" --timeout 1
grep -q '^shop_client: DEADLINE_EXCEEDED: ' "$work/deadline.err" || fail "no DEADLINE_EXCEEDED"
wait_for slow_products '^GetProduct\(apple\) request-id=r2 deadline=in (0\.[7-9]|1\.0) s$' 1
wait_for slow_products '^GetProduct\(apple\) request-id=r2: call ended after (0\.[7-9]|1\.[0-4]) s, gave up$' 5
run cancel 1 "$client" --target "127.0.0.1:$slow_port" --cancel-after 500
grep -q '^shop_client: CANCELLED: ' "$work/cancel.err" || fail "no CANCELLED"
# The deadline was 30 s away: only the cancellation can have ended it.
wait_for slow_products '^GetProduct\(apple\) request-id=r2 deadline=in (29\.[0-9]|30\.0) s$' 1
wait_for slow_products ': call ended after ' 5 2
grep ': call ended after ' "$work/slow_products.log" | tail -1 | grep -Eq 'request-id=r2: call ended after 0\.[4-9] s, gave up$' ||
  fail "the product call did not end with the client's cancellation"

stop products
run down 1 "$client" --target "127.0.0.1:$carts_port"
grep -q "^shop_client: UNAVAILABLE: the product service (127.0.0.1:$products_port) is unavailable: " "$work/down.err" ||
  fail "no UNAVAILABLE naming the product service"

stop carts; stop slow_carts; stop slow_products
cat "$work/deadline.err" "$work/cancel.err" "$work/down.err" "$work/products.log" "$work/slow_products.log"
