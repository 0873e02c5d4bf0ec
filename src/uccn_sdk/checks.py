"""What `uccn plugins --check` asks of the installed plugins, beyond loading them.

Loading checks the hooks' names and signatures. This also calls every registration hook,
checking what each plugin registers, and tries each match scorer on the sample network:
it must index it and score a city with finite numbers between 0 and 1 in the right shape.
"""

from __future__ import annotations

from uccn_sdk import sample
from uccn_sdk.config import MatchingSettings
from uccn_sdk.matching.engine import Matcher, MatchError
from uccn_sdk.matching.network import Network
from uccn_sdk.plugins import PluginProblem, Plugins


def check(plugins: Plugins) -> list[PluginProblem]:
    """Everything found wrong with the plugins, loading problems included."""
    plugins.fields()
    plugins.city_sources()
    plugins.exporters()
    plugins.reply_parsers()
    plugins.connectors()
    plugins.commands()
    plugins.templates()
    problems = list(plugins.problems)
    cities = sample.cities()
    for name, registered in plugins.match_scorers().entries.items():
        network = Network.of(cities, settings=MatchingSettings(weights={name: 1.0}))
        try:
            matcher = Matcher(network, [registered.value])
            result = matcher.match(network.profiles[0], 3, None)
        except MatchError as error:
            problems.append(PluginProblem(registered.plugin, f"scorer {name!r}: {error}"))
            continue
        except Exception as error:  # anything a plugin does wrong is reported, not raised
            problems.append(PluginProblem(registered.plugin, f"scorer {name!r} failed: {error!r}"))
            continue
        for problem in result.problems:
            problems.append(PluginProblem(registered.plugin, str(problem)))
    return problems
