// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// musubi_demo: the QML demo. With no arguments it serves the demo stores
// itself and connects to them; --url points it at a real Musubi server,
// --no-server shows what the mount cache saved until a server comes up.
#include "startupreport.h"

#include <demooptions.h>
#include <musubiconnection.h>

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtGui/QGuiApplication>
#include <QtGui/QImage>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>
#include <QtQuickControls2/QQuickStyle>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
// The page names accepted by --page, in tab order.
const QStringList pageNames{u"counter"_s, u"chat"_s, u"todos"_s, u"profile"_s};

void addImportPaths(QQmlApplicationEngine &engine)
{
    // A build tree has every module in <build>/qml; an installed demo finds
    // them in the prefix's QML directory. Both are harmless when absent.
#ifdef MUSUBI_QML_BUILD_DIR
    engine.addImportPath(QStringLiteral(MUSUBI_QML_BUILD_DIR));
#endif
#ifdef MUSUBI_QML_INSTALL_RELATIVE_DIR
    engine.addImportPath(
            QDir(QCoreApplication::applicationDirPath())
                    .absoluteFilePath(QStringLiteral(MUSUBI_QML_INSTALL_RELATIVE_DIR)));
#endif
}
} // namespace

int main(int argc, char *argv[])
{
    // --report-startup measures from here.
    QElapsedTimer startup;
    startup.start();
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(u"musubi_demo"_s);
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(u"Fusion"_s);

    DemoOptions options;
    options.parse(app, u"Musubi for Qt: the QML demo."_s);
    const int page = options.page.isEmpty() ? 0 : int(pageNames.indexOf(options.page));
    if (page < 0) {
        std::fprintf(stderr, "--page must be one of: %s\n", qPrintable(pageNames.join(u", "_s)));
        return 2;
    }
    if (!options.startEmbeddedServer())
        return 1;

    QQmlApplicationEngine engine;
    addImportPaths(engine);
    engine.setInitialProperties({
            {u"serverUrl"_s, options.url.toString()},
            {u"protocol"_s, int(options.protocol)},
            {u"embedded"_s, options.server() != nullptr},
            {u"initialPage"_s, page},
            {u"cacheEnabled"_s, options.cacheEnabled},
            {u"cacheDirectory"_s, options.cacheDirectory},
            {u"inspectorVisible"_s, options.inspector},
    });
    // No QQmlApplicationEngine::loadFromModule() before Qt 6.5.
    engine.load(QUrl(u"qrc:/MusubiDemo/Main.qml"_s));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    if (!window)
        return 1;
    if (options.reportStartup)
        new StartupReport(window, startup); // owned by the window

    if (!options.screenshotPath.isEmpty()) {
        // Grab once the page's data is on screen, after one more frame so
        // that the last binding updates are painted.
        const auto grab = [window, path = options.screenshotPath] {
            QTimer::singleShot(300, window, [window, path] {
                const bool saved = window->grabWindow().save(path, "PNG");
                std::fprintf(saved ? stdout : stderr, "%s %s\n",
                             saved ? "screenshot saved to" : "could not write", qPrintable(path));
                QCoreApplication::exit(saved ? 0 : 1);
            });
        };
        if (window->property("currentPageReady").toBool()) {
            grab();
        } else {
            auto *once = new QObject(window);
            QObject::connect(window, SIGNAL(currentPageReadyChanged()), once, SLOT(deleteLater()));
            QObject::connect(once, &QObject::destroyed, window, grab);
        }
    }
    if (options.quitAfterMs > 0) {
        // With --screenshot this is a deadline: not live in time is a failure.
        const int code = options.screenshotPath.isEmpty() ? 0 : 1;
        QTimer::singleShot(options.quitAfterMs, &app, [code] {
            if (code)
                std::fprintf(stderr, "the page was not live before --quit-after expired\n");
            QCoreApplication::exit(code);
        });
    }
    return app.exec();
}
