"""The exercise's plot (textual-plotext); its numbers are computed in a worker thread."""

from __future__ import annotations

from textual import work
from textual_plotext import PlotextPlot

from modl_tutor.bank.models import PlotSpec
from modl_tutor.tui.plotdata import PlotData


class PlotPanel(PlotextPlot):
    """Draws a `PlotSpec`: curves, gradient-descent steps or float spacing.

    Until `revealed` (full marks or give up) a function plot shows only the function the
    question is about, under a neutral title: no derivative or tangent, no label naming them.
    """

    def __init__(self, spec: PlotSpec, revealed: bool = False, *, start: bool = True,
                 **kwargs: object) -> None:
        """`start=False`: the numbers are computed when `start()` is called, not on mount."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.spec = spec
        self.revealed = revealed
        self.data: PlotData | None = None
        self.error = ""
        self._start_on_mount = start
        self._mounted = False
        self.started = False

    def on_mount(self) -> None:
        super().on_mount()
        from modl_tutor.tui.plotdata import plot_title

        self.border_title = plot_title(self.spec, self.revealed)
        self._mounted = True  # (is_mounted turns true after this handler)
        if self._start_on_mount:
            self.start()

    def start(self) -> None:
        """Compute and draw the plot (once; `reveal()` redraws)."""
        if self._mounted and not self.started:
            self.started = True
            self._compute()

    def reveal(self) -> None:
        """Show everything (the answer curves and the author's title) from now on."""
        if self.revealed:
            return
        self.revealed = True
        if self.started:
            self._compute()

    @work(thread=True, exclusive=True, group="plot")
    def _compute(self) -> None:
        from modl_tutor.tui.plotdata import PlotError, plot_data

        try:
            revealed = self.revealed
            data = plot_data(self.spec, revealed)
        except PlotError as err:
            self.app.call_from_thread(self._failed, str(err))
            return
        self.app.call_from_thread(self._draw, data, revealed)

    def _failed(self, message: str) -> None:
        self.error = message
        self.plt.clear_data()
        self.border_title = "cannot plot"
        self.border_subtitle = message
        self.refresh()

    def _draw(self, data: PlotData, revealed: bool | None = None) -> None:
        if revealed is not None and revealed != self.revealed:
            return  # a stale computation from before reveal(): a newer one is on its way
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
