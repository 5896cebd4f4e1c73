"""Workload 2 on driftpy: DriftUser.can_be_liquidated over the same 100,000 cross accounts after the same shock, then
DriftUser.get_perp_liq_price on 100,000 of them (compared with Fulcrum's liqprice per item).

driftpy's margin code reads decoded on-chain accounts through a DriftClient. Without a Solana RPC, the client and
the accounts are stand-ins holding only the fields the margin path reads (driftpy's own tests patch the client the
same way, tests/user/helpers.py `make_mock_user`): three perp markets with Fulcrum's maintenance rates (Binance
BTCUSDT and ETHUSDT first bracket 0.4 %, Hyperliquid BTC 1/80 = 1.25 %: margin_ratio_maintenance 40, 40, 125), a
USDC spot market at 1, oracles at the shocked prices (93,000, 3,640, 93,000). Each account: one user account with
the three perp positions (base = ±size, quote = ∓size × pre-shock price) and its wallet as a USDC deposit, drawn
as `fulcrum bench` draws them (workloads.cross_accounts). Only the loop of can_be_liquidated calls is timed.
"""

import argparse
from types import SimpleNamespace as NS

from driftpy.constants.numeric_constants import (
    BASE_PRECISION,
    PRICE_PRECISION,
    QUOTE_PRECISION,
    SPOT_BALANCE_PRECISION,
    SPOT_CUMULATIVE_INTEREST_PRECISION,
)
from driftpy.drift_user import DriftUser
from driftpy.types import ContractTier, ContractType, MarketStatus, OraclePriceData, OracleSource, SpotBalanceType

from workloads import CROSS_MARKETS, Timer, cross_accounts, emit

parser = argparse.ArgumentParser()
parser.add_argument("--accounts", type=int, default=100_000)
parser.add_argument("--positions", type=int, default=0, help="unused (kept for run.sh symmetry)")
parser.add_argument("--liq-prices", type=int, default=100_000,
                    help="accounts whose market-0 liquidation price get_perp_liq_price computes (0: skip)")
args = parser.parse_args()

MAINTENANCE = [40, 40, 125]  # MARGIN_PRECISION = 10,000


def perp_market(index):
    amm = NS(oracle=index, base_asset_amount_with_amm=0, cumulative_funding_rate_long=0,
             cumulative_funding_rate_short=0, order_step_size=1, per_lp_base=0,
             historical_oracle_data=NS(last_oracle_price_twap_5min=0, last_oracle_price=0))
    return NS(market_index=index, status=MarketStatus.Active(), amm=amm, margin_ratio_initial=500,
              margin_ratio_maintenance=MAINTENANCE[index], imf_factor=0, unrealized_pnl_imf_factor=0,
              unrealized_pnl_initial_asset_weight=10000, unrealized_pnl_maintenance_asset_weight=10000,
              unrealized_pnl_max_imbalance=0, quote_spot_market_index=0, contract_tier=ContractTier.A(),
              contract_type=ContractType.Perpetual(), expiry_price=0, pool=NS(scaled_balance=0),
              high_leverage_margin_ratio_initial=0, high_leverage_margin_ratio_maintenance=0)


perps = [perp_market(i) for i in range(3)]
usdc = NS(market_index=0, oracle=99, decimals=6, cumulative_deposit_interest=SPOT_CUMULATIVE_INTEREST_PRECISION,
          cumulative_borrow_interest=SPOT_CUMULATIVE_INTEREST_PRECISION, initial_asset_weight=10000,
          maintenance_asset_weight=10000, initial_liability_weight=10000, maintenance_liability_weight=10000,
          imf_factor=0, oracle_source=OracleSource.QuoteAsset(), scale_initial_asset_weight_start=0,
          historical_oracle_data=NS(last_oracle_price_twap_5min=PRICE_PRECISION, last_oracle_price=PRICE_PRECISION))
oracles = {i: after for i, (_, _, after, _) in enumerate(CROSS_MARKETS)}
oracles[99] = 1


def oracle(key):
    return OraclePriceData(price=oracles[key] * PRICE_PRECISION, slot=0, confidence=1, twap=0, twap_confidence=0,
                           has_sufficient_number_of_data_points=True)


client = NS(get_perp_market_account=lambda i: perps[i], get_spot_market_account=lambda i: usdc,
            get_perp_market_accounts=lambda: perps, get_spot_market_accounts=lambda: [usdc],
            get_oracle_price_data_for_perp_market=lambda i: oracle(i),
            get_oracle_price_data_for_spot_market=lambda i: oracle(99),
            get_state_account=lambda: NS(liquidation_margin_buffer_ratio=0))


def perp_position(index, base, quote):
    return NS(market_index=index, base_asset_amount=base, quote_asset_amount=quote, lp_shares=0, open_orders=0,
              open_bids=0, open_asks=0, last_cumulative_funding_rate=0, quote_break_even_amount=quote,
              quote_entry_amount=quote, settled_pnl=0, remainder_base_asset_amount=0,
              last_base_asset_amount_per_lp=0, last_quote_asset_amount_per_lp=0, per_lp_base=0, max_margin_ratio=0)


def spot_position(scaled):
    return NS(market_index=0, balance_type=SpotBalanceType.Deposit(), scaled_balance=scaled, open_orders=0,
              open_bids=0, open_asks=0, cumulative_deposits=0)


users = []
for legs, wallet_raw in cross_accounts(args.accounts):
    positions = []
    for index, (is_long, steps) in enumerate(legs):
        sign = 1 if is_long else -1
        before = CROSS_MARKETS[index][1]
        base = sign * steps * BASE_PRECISION // 1_000
        quote = -sign * steps * before * QUOTE_PRECISION // 1_000
        positions.append(perp_position(index, base, quote))
    positions += [perp_position(0, 0, 0) for _ in range(5)]
    spots = [spot_position(wallet_raw * SPOT_BALANCE_PRECISION // 100_000_000)] + [spot_position(0) for _ in range(7)]
    account = NS(perp_positions=positions, spot_positions=spots, status=0, max_margin_ratio=0, pool_id=0)
    user = DriftUser.__new__(DriftUser)
    user.drift_client = client
    user.get_user_account = (lambda a: (lambda: a))(account)
    users.append(user)

with Timer() as t:
    liquidatable = sum(1 for user in users if user.can_be_liquidated())
emit("driftpy", "cross-check", len(users), t.seconds, liquidatable=liquidatable)

# Liquidation prices: DriftUser.get_perp_liq_price of the BTC leg (market 0) of the first --liq-prices accounts, the
# same stand-in client. Compared per item with Fulcrum's liqprice batch (a liquidation price per position; driftpy's
# is a cross-margin one, which also sums the account's other legs: more work per item, reported as such).
count = min(args.liq_prices, len(users))
if count > 0:
    with Timer() as t:
        prices = [users[i].get_perp_liq_price(0) for i in range(count)]
    none = sum(1 for p in prices if p is None or p <= 0)
    emit("driftpy-liq-price", "liqprice", count, t.seconds, without_liquidation_price=none)
