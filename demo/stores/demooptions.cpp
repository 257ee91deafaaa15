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
    const QCommandLineOption verboseOption(u"verbose"_s,
                                           u"Print the musubi.* debug logging categories."_s);
    const QCommandLineOption pageOption(
            u"page"_s, u"The page to show first: counter, chat, todos or profile (QML demo)."_s,
            u"name"_s);
    parser.addOptions(
            {urlOption, protocolOption, screenshotOption, quitOption, pageOption, verboseOption});
    parser.process(app);
    // A demo's terminal should show what goes wrong, not every frame; explicit
    // QT_LOGGING_RULES still win.
    if (!parser.isSet(verboseOption) && qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(u"musubi.*.debug=false"_s);

    const auto fail = [&](const QString &message) {
        std::fprintf(stderr, "%s\n\n%s", qPrintable(message), qPrintable(parser.helpText()));
        std::exit(2);
    };
    if (parser.isSet(urlOption)) {
        url = QUrl(parser.value(urlOption), QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"ws"_s && url.scheme() != u"wss"_s))
            fail(u"--url must be a ws:// or wss:// URL, got \"%1\""_s.arg(parser.value(urlOption)));
    }
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
    if (!url.isEmpty())
        return true;
    m_server = std::make_unique<MusubiTestServer>();
    registerDemoStores(m_server.get());
    if (!m_server->listen()) {
        std::fprintf(stderr, "demo: the embedded server could not listen on 127.0.0.1\n");
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
