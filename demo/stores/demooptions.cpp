// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "demooptions.h"

#include "musubidemostores.h"

#include <musubitestserver.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QLoggingCategory>

#include <cstdio>

using namespace Qt::StringLiterals;

DemoOptions::DemoOptions() = default;
DemoOptions::~DemoOptions() = default;

void DemoOptions::parse(const QCoreApplication &app, const QString &description)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description);
    parser.addHelpOption();
    const QCommandLineOption urlOption(
            u"url"_s,
            u"Connect to a Musubi server (e.g. ws://127.0.0.1:4000/socket) instead of the embedded one."_s,
            u"url"_s);
    const QCommandLineOption protocolOption(
            u"protocol"_s,
            u"Wire profile: auto (default), shared (0.4-0.11) or per-root (0.12+)."_s,
            u"protocol"_s, u"auto"_s);
    const QCommandLineOption screenshotOption(
            u"screenshot"_s, u"Save the window as a PNG once the first page is live, then exit."_s,
            u"file"_s);
    const QCommandLineOption quitOption(u"quit-after"_s, u"Exit after this many milliseconds."_s,
                                        u"ms"_s);
    const QCommandLineOption portOption(
            u"port"_s,
            u"Port of the embedded server, and of the URL --no-server connects to (default: %1; "
            "without --port the embedded server takes any free port when %1 is in use)."_s.arg(
                    DefaultPort),
            u"n"_s);
    const QCommandLineOption noServerOption(
            u"no-server"_s,
            u"Start no embedded server: connect where it would listen (ws://127.0.0.1:PORT/socket)"
            " and show the saved data until a server comes up there."_s);
    const QCommandLineOption cacheDirOption(
            u"cache-dir"_s,
            u"Directory of the disk cache of mounted state (QML demo; default: the user's cache "
            "directory)."_s,
            u"dir"_s);
    const QCommandLineOption noCacheOption(u"no-cache"_s,
                                           u"Do not save or show saved state (QML demo)."_s);
    const QCommandLineOption reportStartupOption(
            u"report-startup"_s,
            u"Print the milliseconds from start to the first frame, the first frame with saved "
            "data and the first frame with live data (QML demo)."_s);
    const QCommandLineOption inspectorOption(
            u"inspector"_s,
            u"Open the Musubi Inspector at start (F12 or the Inspector button toggle it)."_s);
    const QCommandLineOption verboseOption(u"verbose"_s,
                                           u"Print the musubi.* debug logging categories."_s);
    const QCommandLineOption pageOption(
            u"page"_s, u"The page to show first: counter, chat, todos or profile (QML demo)."_s,
            u"name"_s);
    parser.addOptions({urlOption, protocolOption, portOption, noServerOption, cacheDirOption,
                       noCacheOption, screenshotOption, quitOption, pageOption, reportStartupOption,
                       inspectorOption, verboseOption});
    parser.process(app);
    // A demo's terminal should show what goes wrong, not every frame; explicit
    // QT_LOGGING_RULES still win. With --no-server the failed connection attempts
    // are expected (until a server comes up): not every one of them either.
    if (!parser.isSet(verboseOption) && qEnvironmentVariableIsEmpty("QT_LOGGING_RULES")) {
        QLoggingCategory::setFilterRules(
                parser.isSet(noServerOption) ? u"musubi.*.debug=false\nmusubi.phoenix.info=false"_s
                                             : u"musubi.*.debug=false"_s);
    }

    const auto fail = [&](const QString &message) {
        std::fprintf(stderr, "%s\n\n%s", qPrintable(message), qPrintable(parser.helpText()));
        std::exit(2);
    };
    if (parser.isSet(urlOption)) {
        url = QUrl(parser.value(urlOption), QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"ws"_s && url.scheme() != u"wss"_s))
            fail(u"--url must be a ws:// or wss:// URL, got \"%1\""_s.arg(parser.value(urlOption)));
    }
    if (parser.isSet(portOption)) {
        bool ok = false;
        port = parser.value(portOption).toInt(&ok);
        if (!ok || port < 1 || port > 65535)
            fail(u"--port takes a port number (1-65535)"_s);
    }
    noServer = parser.isSet(noServerOption);
    if (noServer && url.isEmpty())
        url = QUrl(u"ws://127.0.0.1:%1/socket"_s.arg(port > 0 ? port : DefaultPort));
    cacheEnabled = !parser.isSet(noCacheOption);
    cacheDirectory = parser.value(cacheDirOption);
    reportStartup = parser.isSet(reportStartupOption);
    inspector = parser.isSet(inspectorOption);
    if (!protocolFromName(parser.value(protocolOption), &protocol))
        fail(u"--protocol must be auto, shared or per-root"_s);
    screenshotPath = parser.value(screenshotOption);
    page = parser.value(pageOption);
    if (parser.isSet(quitOption)) {
        bool ok = false;
        quitAfterMs = parser.value(quitOption).toInt(&ok);
        if (!ok || quitAfterMs < 0)
            fail(u"--quit-after takes a number of milliseconds"_s);
    }
}

bool DemoOptions::startEmbeddedServer()
{
    if (!url.isEmpty() || noServer)
        return true;
    m_server = std::make_unique<MusubiTestServer>();
    registerDemoStores(m_server.get());
    // A known port, so that `--no-server` (and other clients) find the demo's server; a
    // second demo still starts when the port is taken, on another one.
    bool listening = m_server->listen(port > 0 ? port : DefaultPort);
    if (!listening && port == 0) {
        listening = m_server->listen(0);
        if (listening) {
            std::fprintf(stderr, "demo: port %d is in use; the embedded server listens on %s\n",
                         DefaultPort, qPrintable(m_server->url().toString()));
        }
    }
    if (!listening) {
        std::fprintf(stderr, "demo: the embedded server could not listen on 127.0.0.1:%d\n",
                     port > 0 ? port : DefaultPort);
        return false;
    }
    url = m_server->url();
    return true;
}

QString DemoOptions::protocolName(MusubiConnection::Protocol protocol)
{
    switch (protocol) {
    case MusubiConnection::Protocol::SharedChannel:
        return u"shared"_s;
    case MusubiConnection::Protocol::PerRootChannel:
        return u"per-root"_s;
    case MusubiConnection::Protocol::Auto:
        break;
    }
    return u"auto"_s;
}

bool DemoOptions::protocolFromName(const QString &name, MusubiConnection::Protocol *protocol)
{
    static const MusubiConnection::Protocol all[] = {MusubiConnection::Protocol::Auto,
                                                     MusubiConnection::Protocol::SharedChannel,
                                                     MusubiConnection::Protocol::PerRootChannel};
    for (MusubiConnection::Protocol p : all) {
        if (protocolName(p) == name) {
            *protocol = p;
            return true;
        }
    }
    return false;
}
