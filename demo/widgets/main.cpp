// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// musubi_widgets_demo: Musubi from C++ widget code. With no arguments it
// serves the demo stores itself; --url points it at a real Musubi server.
#include "demowindow.h"

#include <demooptions.h>
#include <musubiconnection.h>

#include <QtCore/QTimer>
#include <QtWidgets/QApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"musubi_widgets_demo"_s);
    DemoOptions options;
    options.parse(app, u"Musubi for Qt: the widgets demo (typed roots and a stream model)."_s);
    if (!options.startEmbeddedServer())
        return 1;

    MusubiConnection connection;
    connection.setUrl(options.url);
    connection.setProtocol(options.protocol);
    connection.open();

    DemoWindow window(&connection);
    window.show();
    if (options.inspector)
        window.toggleInspector();

    if (!options.screenshotPath.isEmpty()) {
        // Grab once both roots are live and one more frame has been laid out.
        QObject::connect(&window, &DemoWindow::ready, &window, [&] {
            QTimer::singleShot(200, &window, [&] {
                const bool saved = window.grab().save(options.screenshotPath, "PNG");
                std::fprintf(saved ? stdout : stderr, "%s %s\n",
                             saved ? "screenshot saved to" : "could not write",
                             qPrintable(options.screenshotPath));
                QCoreApplication::exit(saved ? 0 : 1);
            });
        });
    }
    if (options.quitAfterMs > 0) {
        // With --screenshot this is a deadline: not live in time is a failure.
        const int code = options.screenshotPath.isEmpty() ? 0 : 1;
        QTimer::singleShot(options.quitAfterMs, &app, [code] {
            if (code)
                std::fprintf(stderr, "not live before --quit-after expired\n");
            QCoreApplication::exit(code);
        });
    }
    return app.exec();
}
