#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QQmlApplicationEngine engine;
    // Where `import Musubi` is found (CMakeLists.txt): the install's QML directory,
    // or the build tree's when Musubi is part of this build.
    engine.addImportPath(QStringLiteral(MUSUBI_QML_IMPORT_DIR));
    // hello-qml [ws://HOST:PORT/socket]: without an argument, Main.qml's default.
    if (app.arguments().size() > 1)
        engine.setInitialProperties({{u"url"_s, app.arguments().at(1)}});
    // The module's own URI, not the executable's name. Qt 6.4 has no loadFromModule().
    engine.load(QUrl(u"qrc:/HelloMusubi/Main.qml"_s));
    if (engine.rootObjects().isEmpty())
        return 1;
    return app.exec();
}
