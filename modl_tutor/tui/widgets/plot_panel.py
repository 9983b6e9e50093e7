"""The exercise's plot (textual-plotext); its numbers are computed in a worker thread."""

from __future__ import annotations

from textual import work
from textual_plotext import PlotextPlot

from modl_tutor.bank.models import PlotSpec
from modl_tutor.tui.plotdata import PlotData


class PlotPanel(PlotextPlot):
    """Draws a `PlotSpec`: curves, gradient-descent steps or float spacing."""

    def __init__(self, spec: PlotSpec, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.spec = spec
        self.data: PlotData | None = None
        self.error = ""

    def on_mount(self) -> None:
        super().on_mount()
        self.border_title = self.spec.title or "plot"
        self._compute()

    @work(thread=True, exclusive=True, group="plot")
    def _compute(self) -> None:
        from modl_tutor.tui.plotdata import PlotError, plot_data

        try:
            data = plot_data(self.spec)
        except PlotError as err:
            self.app.call_from_thread(self._failed, str(err))
            return
        self.app.call_from_thread(self._draw, data)

    def _failed(self, message: str) -> None:
        self.error = message
        self.plt.clear_data()
        self.border_title = "cannot plot"
        self.border_subtitle = message
        self.refresh()

    def _draw(self, data: PlotData) -> None:
        self.data = data
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        self.border_title = data.title
        plt.xlabel(data.xlabel)
        if data.ylabel:
            plt.ylabel(data.ylabel)
        if data.xlog:
            plt.xscale("log")
        if data.ylog:
            plt.yscale("log")
        for series in data.series:
            if series.style == "scatter":
                plt.scatter(series.xs, series.ys, label=series.label, marker="●")
            else:
                plt.plot(series.xs, series.ys, label=series.label, marker="braille")
        self.refresh()
