// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// `import Musubi` in a program that does not link the module's backing library
// (Musubi::Qml): the engine loads the installed QML plugin, which must come from
// the prefix with everything it loads. (musubi_consumer links the backing library
// through its typed stores, so the engine never needs the plugin there.)

#include "consumercheck.h"

#include <QtGui/QGuiApplication>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ConsumerCheck;

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QQmlEngine engine;
    engine.addImportPath(QStringLiteral(MUSUBI_QML_IMPORT_DIR));
    QQmlComponent component(&engine);
    component.setData("import QtQml\n"
                      "import Musubi\n"
                      "QtObject {\n"
                      "    property MusubiConnection connection: MusubiConnection { }\n"
                      "}\n",
                      QUrl(u"plugin.qml"_s));
    std::unique_ptr<QObject> object(component.create());
    if (!object) {
        std::fprintf(stderr, "%s\n", qPrintable(component.errorString()));
        return fail("import Musubi");
    }
    if (!loadedFromPrefix(u"libmusubi_qmlplugin"_s))
        return fail("the installed QML plugin was not loaded");
    if (!loadedFromPrefix(u"libMusubiQml"_s) || !loadedFromPrefix(u"libMusubiCore"_s))
        return fail("the plugin's libraries were not loaded from the prefix");
    std::printf("%s: QML plugin ok (%s)\n", qPrintable(QCoreApplication::applicationName()),
                qPrintable(loadedFrom(u"libmusubi_qmlplugin"_s).join(u", "_s)));
    return 0;
}
