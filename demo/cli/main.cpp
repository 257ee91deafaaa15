// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// musubi-cli: a headless JSON Lines front-end over MusubiConnection / MusubiRoot.
// stdout carries only JSON lines; every diagnostic goes to stderr.

#include "musubicli.h"

#include <musubiconnection.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QLoggingCategory>

#if defined(MUSUBI_CLI_HAVE_DEMO_STORES)
#include <musubidemostores.h>
#include <musubitestserver.h>
#endif

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

[[noreturn]] void usageError(const QString &message)
{
    std::fprintf(stderr, "musubi-cli: %s\n(see musubi-cli --help)\n", qUtf8Printable(message));
    std::exit(2);
}

int intOption(const QCommandLineParser &parser, const QCommandLineOption &option, int fallback)
{
    if (!parser.isSet(option))
        return fallback;
    bool ok = false;
    const int value = parser.value(option).toInt(&ok);
    if (!ok || value < 0)
        usageError(u"--%1 needs a non-negative integer"_s.arg(option.names().constFirst()));
    return value;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"musubi-cli"_s);
    QCoreApplication::setApplicationVersion(u"" MUSUBI_CLI_VERSION ""_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"Headless Musubi client: JSON Lines requests on stdin, JSON Lines on stdout."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption url(u"url"_s, u"Server socket URL, e.g. ws://HOST:PORT/socket."_s,
                                 u"url"_s);
    const QCommandLineOption demo(u"demo"_s, u"Serve the demo stores from an embedded server."_s);
    const QCommandLineOption protocol(u"protocol"_s, u"auto (default), shared or per-root."_s,
                                      u"profile"_s, u"auto"_s);
    const QCommandLineOption param(u"param"_s, u"Connect param (repeatable)."_s, u"KEY=VALUE"_s);
    const QCommandLineOption topic(u"topic"_s, u"Base topic (default musubi:connection)."_s,
                                   u"base"_s);
    const QCommandLineOption heartbeat(u"heartbeat-ms"_s, u"Heartbeat interval."_s, u"ms"_s);
    const QCommandLineOption pushTimeout(u"push-timeout-ms"_s, u"Command reply timeout."_s,
                                         u"ms"_s);
    const QCommandLineOption joinTimeout(u"join-timeout-ms"_s, u"Join / mount reply timeout."_s,
                                         u"ms"_s);
    const QCommandLineOption verbose(u"verbose"_s, u"Log protocol details to stderr."_s);
    parser.addOptions(
            {url, demo, protocol, param, topic, heartbeat, pushTimeout, joinTimeout, verbose});
    parser.process(app);

    if (!parser.isSet(verbose))
        QLoggingCategory::setFilterRules(u"musubi.*.debug=false\nmusubi.*.info=false"_s);

    if (parser.isSet(url) == parser.isSet(demo))
        usageError(u"give exactly one of --url and --demo"_s);

    MusubiConnection connection;
    const QString profile = parser.value(protocol);
    if (profile == "auto"_L1)
        connection.setProtocol(MusubiConnection::Protocol::Auto);
    else if (profile == "shared"_L1)
        connection.setProtocol(MusubiConnection::Protocol::SharedChannel);
    else if (profile == "per-root"_L1)
        connection.setProtocol(MusubiConnection::Protocol::PerRootChannel);
    else
        usageError(u"--protocol must be auto, shared or per-root"_s);

    QVariantMap params;
    const QStringList pairs = parser.values(param);
    for (const QString &pair : pairs) {
        const qsizetype eq = pair.indexOf(u'=');
        if (eq <= 0)
            usageError(u"--param needs KEY=VALUE, got \"%1\""_s.arg(pair));
        params.insert(pair.left(eq), pair.mid(eq + 1));
    }
    connection.setParams(params);
    if (parser.isSet(topic))
        connection.setBaseTopic(parser.value(topic));
    connection.setHeartbeatInterval(intOption(parser, heartbeat, connection.heartbeatInterval()));
    connection.setPushTimeout(intOption(parser, pushTimeout, connection.pushTimeout()));
    connection.setJoinTimeout(intOption(parser, joinTimeout, connection.joinTimeout()));

#if defined(MUSUBI_CLI_HAVE_DEMO_STORES)
    std::unique_ptr<MusubiTestServer> server;
#endif
    if (parser.isSet(demo)) {
#if defined(MUSUBI_CLI_HAVE_DEMO_STORES)
        server = std::make_unique<MusubiTestServer>();
        registerDemoStores(server.get());
        if (!server->listen())
            usageError(u"the embedded demo server could not listen on 127.0.0.1"_s);
        std::fprintf(stderr, "musubi-cli: demo server on %s\n",
                     qUtf8Printable(server->url().toString()));
        connection.setUrl(server->url());
#else
        usageError(u"--demo needs the demo stores (musubi_demo_stores), which this build does "
                   "not include"_s);
#endif
    } else {
        const QUrl target = QUrl::fromUserInput(parser.value(url));
        if (!target.isValid() || (target.scheme() != "ws"_L1 && target.scheme() != "wss"_L1))
            usageError(u"--url must be a ws:// or wss:// URL"_s);
        connection.setUrl(target);
    }

    MusubiCli cli(&connection);
    QObject::connect(&cli, &MusubiCli::finished, &app, [] { QCoreApplication::exit(0); });
    connection.open();
    cli.start();
    return app.exec();
}
