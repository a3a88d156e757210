"""Company lists on the atlas: read (CSV or Excel), place (coordinates or geocoded addresses), join to parks
and districts, count per park and district by sector, and write back every row with what the atlas found.

    python -m layers.enterprises INPUT --out OUTPUT.csv [--engine memory|dask [--scheduler ADDRESS]]
"""

from .dask_engine import DASK_OUTPUTS, DaskRun, process_with_dask
from .engines import ENGINES, OUTPUT_COLUMNS, EnterpriseResult, process_table
from .joining import ParkDistrictIndex, firm_counts
from .placing import DRAWN_STATUSES, STATUSES, SectorMatcher
from .reading import ColumnMap, EnterpriseInputError, read_enterprise_table, resolve_columns

__all__ = [
    "ColumnMap",
    "DASK_OUTPUTS",
    "DRAWN_STATUSES",
    "DaskRun",
    "ENGINES",
    "EnterpriseInputError",
    "EnterpriseResult",
    "OUTPUT_COLUMNS",
    "ParkDistrictIndex",
    "STATUSES",
    "SectorMatcher",
    "firm_counts",
    "process_table",
    "process_with_dask",
    "read_enterprise_table",
    "resolve_columns",
]
